"""One layout's facts: checks, bone parents, channels, other tools' names."""
import pytest

from stgcn_reg.graphs import Layout, bone_parents


def test_a_joint_cut_off_from_the_center_has_no_bone():
    layout = Layout('broken', num_node=4, edges=((0, 1), (2, 3)), center=0)
    with pytest.raises(ValueError, match=r'joints \[2, 3\].*center joint 0'):
        bone_parents(layout)


def test_parents_of_a_layout_are_its_bone_parents():
    layout = Layout('chain', num_node=3, edges=((0, 1), (1, 2)), center=1)
    assert layout.parents == bone_parents(layout) == (1, 1, 1)


def test_dims_give_channels_and_image_coordinates():
    world = Layout('w', num_node=2, edges=((0, 1), ), center=0)
    image = Layout('i', num_node=2, edges=((0, 1), ), center=0, dims=2)
    assert (world.dims, world.channels, world.image_coordinates) == (
        3, 3, False)
    assert (image.channels, image.image_coordinates) == (3, True)


def test_descriptions_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match='dims must be 2 or 3, got 4'):
        Layout('x', num_node=2, edges=(), center=0, dims=4)
    with pytest.raises(ValueError, match='1 joint_names for 2 joints'):
        Layout('x', num_node=2, edges=(), center=0, joint_names=('a', ))
    with pytest.raises(ValueError, match="unknown tool 'mmpose'"):
        Layout('x', num_node=2, edges=(), center=0,
               tool_names=(('mmpose', 'x'), ))


def test_tool_name():
    layout = Layout('x', num_node=2, edges=(), center=0,
                    tool_names=(('mmaction', 'theirs'), ))
    assert layout.tool_name('mmaction') == 'theirs'
    assert layout.tool_name('pyskl') is None
    with pytest.raises(ValueError, match="unknown tool 'mmpose'"):
        layout.tool_name('mmpose')
