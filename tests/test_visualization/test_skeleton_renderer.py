"""Drawing skeletons: bones where the layout puts them, in person colours."""
import numpy as np
import pytest

from stgcn_reg.graphs import get_layout
from stgcn_reg.visualization import (
    RenderStyle,
    SkeletonRenderer,
    caption_lines,
    contact_sheet,
    heat_colour,
    layout_for_joints,
    person_colour,
)

WHITE = (255, 255, 255)
SIZE = 200  # drawing side; 20 px margin, 80 px per unit for a [-1, 1] box


def two_people(num_frames: int = 1) -> np.ndarray:
    """NTU clip (3, T, 25, 2) where only joints 0 and 1 (one bone) exist.

    Person 0: a horizontal bone (-1, 1) - (1, 1); person 1: a vertical
    bone (0, -1) - (0, 0); depth 3 for all.
    """
    sample = np.zeros((3, num_frames, 25, 2), np.float32)
    sample[:, :, 0, 0] = [[-1], [1], [3]]
    sample[:, :, 1, 0] = [[1], [1], [3]]
    sample[:, :, 0, 1] = [[0], [-1], [3]]
    sample[:, :, 1, 1] = [[0], [0], [3]]
    return sample


def drawing(image: np.ndarray) -> np.ndarray:
    """The drawing under the text panel."""
    return image[image.shape[0] - SIZE:]


@pytest.fixture
def renderer() -> SkeletonRenderer:
    return SkeletonRenderer('ntu-rgb+d', 'front',
                            style=RenderStyle(width=SIZE, height=SIZE))


def test_bones_are_drawn_in_person_colours_where_they_belong(renderer):
    image = drawing(renderer.render(two_people())[0])
    assert image.shape == (SIZE, SIZE, 3)
    # person 0 from (col 20, row 20) to (180, 20); person 1 from
    # (100, 180) to (100, 100): rows grow downwards, y up
    for col in (60, 100, 140):
        assert tuple(image[20, col]) == person_colour(0)
    for row in (120, 140, 160):
        assert tuple(image[row, 100]) == person_colour(1)
    assert person_colour(0) != person_colour(1)


def test_nothing_else_is_drawn(renderer):
    image = drawing(renderer.render(two_people())[0])
    drawn = np.any(image != WHITE, axis=2)
    allowed = np.zeros_like(drawn)
    allowed[10:31, 10:191] = True  # person 0's bone with joints
    allowed[90:191, 90:111] = True  # person 1's bone with joints
    # e.g. a bone to a missing joint would cross the empty area
    assert drawn.any() and not (drawn & ~allowed).any()
    assert tuple(image[60, 50]) == WHITE and tuple(image[150, 160]) == WHITE


def test_joints_coloured_by_heat():
    renderer = SkeletonRenderer('ntu-rgb+d',
                                style=RenderStyle(width=SIZE, height=SIZE))
    heat = np.zeros(25)
    heat[1] = 1.0
    image = drawing(renderer.render(two_people(), heat=heat)[0])
    assert tuple(image[20, 180]) == heat_colour(1.0)  # person 0, joint 1
    assert tuple(image[20, 20]) == heat_colour(0.0)  # person 0, joint 0
    assert tuple(image[100, 100]) == heat_colour(1.0)  # person 1, joint 1
    # joint radius doubles at heat 1: 4 px -> 8 px
    assert tuple(image[20, 180 + 6]) == heat_colour(1.0)
    assert tuple(image[20, 20 - 6]) == WHITE
    with pytest.raises(ValueError, match=r'one value per joint \(25,\)'):
        renderer.render(two_people(), heat=np.zeros(3))


def test_side_view_turns_the_horizontal_bone_into_a_point():
    renderer = SkeletonRenderer('ntu-rgb+d', 'side',
                                style=RenderStyle(width=SIZE, height=SIZE))
    image = drawing(renderer.render(two_people())[0])
    # every joint has depth 3 -> column 100; person 0 a dot at row 20
    assert tuple(image[140, 100]) == person_colour(1)
    assert tuple(image[20, 100]) == person_colour(0)
    assert tuple(image[20, 60]) == WHITE


def test_two_d_data_keep_image_rows_and_skip_undetected_joints():
    renderer = SkeletonRenderer('openpose',
                                style=RenderStyle(width=SIZE, height=SIZE))
    assert renderer.coords == '2d'
    sample = np.zeros((3, 1, 18, 1), np.float32)
    sample[:, 0, 1, 0] = [0.0, -0.5, 0.9]  # neck, high in the image
    sample[:, 0, 0, 0] = [0.0, 0.5, 0.8]  # nose below it (bone 0-1)
    sample[:, 0, 2, 0] = [0.4, 0.2, 0.0]  # right shoulder: score 0
    image = drawing(renderer.render(sample)[0])
    # y down: the neck (y=-0.5) is at the top, row 20; the nose row 180
    assert tuple(image[60, 100]) == person_colour(0)
    assert tuple(image[20, 100]) == person_colour(0)
    # the shoulder (score 0) joins the neck by a bone; it is not drawn
    assert not np.any(image[:, 110:] != WHITE)


def test_panel_shows_frame_label_and_predictions():
    lines = caption_lines(3, 10, 'drink water',
                          [('drink water', 0.75), ('eat meal', 0.2)])
    assert lines == ['frame 3 / 10', 'true: drink water', 'top-2:',
                     '1. drink water  0.750', '2. eat meal  0.200']
    renderer = SkeletonRenderer('ntu-rgb+d',
                                style=RenderStyle(width=SIZE, height=SIZE))
    image = renderer.render(two_people(), 'drink water',
                            [('drink water', 0.75), ('eat meal', 0.2)])[0]
    panel = image[:image.shape[0] - SIZE]
    assert panel.shape[0] == renderer.panel_height(5)
    assert np.any(panel != WHITE)  # text was written


def test_padding_frames_are_trimmed():
    sample = two_people(10)
    sample[:, 6:] = 0
    renderer = SkeletonRenderer('ntu-rgb+d')
    frames = renderer.render(sample)
    assert len(frames) == 6
    assert len(renderer.render(sample, trim=False)) == 10


def test_data_that_do_not_fit_the_layout_are_refused():
    with pytest.raises(ValueError, match="V=18 joints but layout 'ntu-rgb"):
        SkeletonRenderer('ntu-rgb+d').render(np.zeros((3, 4, 18, 1)))
    with pytest.raises(ValueError, match='C >= 3'):
        SkeletonRenderer('ntu-rgb+d').render(np.zeros((2, 4, 25, 1)))
    with pytest.raises(ValueError, match="coords must be"):
        SkeletonRenderer('ntu-rgb+d', coords='4d')


def test_layout_from_joint_count():
    assert layout_for_joints(25) == 'ntu-rgb+d'
    assert layout_for_joints(18) == 'openpose'
    assert get_layout(layout_for_joints(17)).num_node == 17
    with pytest.raises(ValueError, match='no built-in layout has 7 joints'):
        layout_for_joints(7)


def test_contact_sheet_spreads_tiles_over_the_clip():
    frames = [np.full((4, 6, 3), i, np.uint8) for i in range(10)]
    sheet = contact_sheet(frames, num_tiles=5, columns=3)
    assert sheet.shape == (8, 18, 3)
    # frames 0, 2.25, 4.5, 6.75, 9 rounded (half to even)
    assert [sheet[0, 0, 0], sheet[0, 6, 0], sheet[0, 12, 0]] == [0, 2, 4]
    assert [sheet[4, 0, 0], sheet[4, 6, 0]] == [7, 9]
    assert tuple(sheet[4, 12]) == WHITE  # empty last tile
    with pytest.raises(ValueError, match='at least one frame'):
        contact_sheet([])
