"""BOLD readers: annotation CSV rows and one person's clip from joints."""
import numpy as np
import pytest

from stgcn_reg.datasets.readers import SkeletonFormatError
from stgcn_reg.datasets.readers.bold import (
    CATEGORY_NAMES,
    LABELLED_COLUMNS,
    BoldRow,
    clip_key,
    joints_relative_path,
    normalise_clip,
    read_bold_clip,
    read_bold_csv,
)

LABELS = ['0.2'] * 26 + ['3', '5.5', '10']


def write_csv(path, lines):
    path.write_text(''.join(line + '\n' for line in lines))
    return str(path)


def row(video='a/b.mp4/0001.mp4', person=0, low=10, high=19, labels=None):
    return ','.join([video, str(person), str(low), str(high)]
                    + (LABELS if labels is None else labels)
                    + ['1', '2', '0', '0.9'])


def test_category_names_follow_the_release_order():
    assert len(CATEGORY_NAMES) == 26 and LABELLED_COLUMNS == 33
    assert CATEGORY_NAMES[:3] == ('Peace', 'Affection', 'Esteem')
    assert CATEGORY_NAMES[11:13] == ('Doubt/Confusion', 'Disconnect')
    assert CATEGORY_NAMES[-1] == 'Suffering'


def test_good_rows_are_parsed(tmp_path):
    labels = [f'{k / 25:.2f}' for k in range(26)] + ['1', '5.5', '10']
    path = write_csv(tmp_path / 'train.csv', [
        row(labels=labels), '', row(person=3, low=0, high=4)])
    rows, errors = read_bold_csv(path)
    assert errors == []
    assert [(r.person_id, r.min_frame, r.max_frame, r.line)
            for r in rows] == [(0, 10, 19, 1), (3, 0, 4, 3)]
    assert rows[0].categories.dtype == np.float32
    assert rows[0].categories[[0, 25]].tolist() == [0.0, 1.0]
    assert rows[0].dimensions.tolist() == [1.0, 5.5, 10.0]
    assert rows[0].name == 'a/b.mp4/0001.mp4#0:10-19'
    assert rows[0].joints_path == 'a/b.mp4/0001.npy'


def test_bad_rows_are_reported_with_their_line(tmp_path):
    path = write_csv(tmp_path / 'val.csv', [
        row(),
        'a/b.mp4/0001.mp4,0,10',                         # 2: too short
        row(person='x'),                                 # 3
        row(low=20, high=10),                            # 4
        row(labels=['0.2'] * 25 + ['1.5', '3', '5', '7']),  # 5: > 1
        row(labels=LABELS[:-1] + ['11']),                # 6: > 10
        row(labels=['nan'] + LABELS[1:]),                # 7
        row(video='a/b.avi'),                            # 8
        row(video='../../etc/x.mp4'),                    # 9
        row(),                                           # 10: repeat
        '"a/q.mp4/1.mp4\nsplit",0,1,2',                  # 11-12: 4 cols
        row(video='a/c.mp4/0001.mp4'),                   # 13
    ])
    rows, errors = read_bold_csv(path)
    assert [r.line for r in rows] == [1, 13]
    reasons = dict(errors)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert '3 columns, expected at least 33' in reasons[2]
    assert "person_id 'x' is not an integer" in reasons[3]
    assert 'min_frame 20 > max_frame 10' in reasons[4]
    assert 'Suffering (column 30) is 1.5, expected a number in [0, 1]' \
        in reasons[5]
    assert 'Dominance (column 33) is 11, expected a number in [1, 10]' \
        in reasons[6]
    assert 'Peace' in reasons[7]
    assert 'ending in .mp4' in reasons[8]
    assert 'relative path' in reasons[9]
    assert reasons[10].startswith('repeats line 1')
    assert '4 columns' in reasons[11]


def test_unlabelled_split_needs_four_columns(tmp_path):
    path = write_csv(tmp_path / 'test_meta.csv', [
        '\ufeffa/b.mp4/0001.mp4,2,0,9', 'a/b.mp4/0001.mp4,1'])
    rows, errors = read_bold_csv(path, labelled=False)
    assert [(r.video, r.person_id, r.categories) for r in rows] == [
        ('a/b.mp4/0001.mp4', 2, None)]
    assert errors == [(2, '2 columns, expected at least 4 (video, '
                       'person_id, min_frame, max_frame)')]


def joint_rows(frames, person, x=100.0, y=50.0, conf=0.9):
    """Rows of ``person`` at ``frames``; joint j at (x + j, y + 2 j)."""
    joints = np.zeros((len(frames), 18, 3))
    joints[..., 0] = x + np.arange(18)
    joints[..., 1] = y + 2 * np.arange(18)
    joints[..., 2] = conf
    return np.concatenate([np.c_[frames, np.full(len(frames), person)],
                           joints.reshape(len(frames), -1)], axis=1)


def save(tmp_path, *parts):
    path = str(tmp_path / 'clip.npy')
    np.save(path, np.concatenate(parts).astype(np.float32))
    return path


def key(path, person=1, low=10, high=14):
    return clip_key(path, BoldRow('v.mp4', person, low, high, line=1))


def test_clip_picks_the_person_and_frames(tmp_path):
    path = save(tmp_path,
                joint_rows([12, 10, 11, 9, 15], person=1),
                joint_rows(range(8, 16), person=2, x=900))
    clip = read_bold_clip(key(path), num_frames=8)
    assert clip.shape == (3, 8, 18, 1) and clip.dtype == np.float32
    # frames 10, 11, 12 at t = 0, 1, 2; 13, 14 undetected; padding after
    assert (clip[2, :3] == np.float32(0.9)).all()
    assert not clip[:, 3:].any()
    # box x 100..117, y 50..84: longer side 34 maps to 1, centre to 0
    assert clip[0, 0, :, 0] == pytest.approx((np.arange(18) - 8.5) / 34)
    assert clip[1, 0, [0, 17], 0] == pytest.approx([-0.5, 0.5])


def test_long_clip_is_sampled_evenly(tmp_path):
    rows = joint_rows(range(0, 10), person=1)
    rows[:, 2] += 10 * rows[:, 0]  # x of joint 0 grows with the frame
    path = save(tmp_path, rows)
    clip = read_bold_clip(key(path, low=0, high=9), num_frames=4)
    x0 = clip[0, :, 0, 0]
    assert np.all(np.diff(x0) > 0) and clip[2].all()
    # frames 0, 3, 6, 9 of the 10; the box (x 100..190) is the whole clip's
    assert np.diff(x0) == pytest.approx([30 / 90] * 3)



def test_a_huge_frame_range_needs_no_dense_buffer(tmp_path):
    path = save(tmp_path, joint_rows([0, 10**9], person=1))
    clip = read_bold_clip(key(path, low=0, high=10**9), num_frames=3)
    # output steps at frames 0, 5e8, 1e9: only the ends are detected
    assert clip[2, :, 0, 0].tolist() == pytest.approx([0.9, 0, 0.9])

def test_duplicate_rows_keep_the_most_confident(tmp_path):
    path = save(tmp_path, joint_rows([10], 1, conf=0.9),
                joint_rows([10], 1, x=0, conf=0.3),
                joint_rows([10], 1, x=500, conf=0.2))
    clip = read_bold_clip(key(path, low=10, high=10), num_frames=1)
    assert clip[2, 0, 0, 0] == pytest.approx(0.9)


def test_undetected_joints_are_zero(tmp_path):
    rows = joint_rows([10, 11], 1)
    rows[0, 2:5] = [0, 0, 0]        # joint 0 undetected at frame 10
    rows[1, 5:8] = [np.nan, 3, 0.8]  # NaN joint 1 at frame 11
    clip = read_bold_clip(key(save(tmp_path, rows), low=10, high=11), 2)
    assert not clip[:, 0, 0].any() and not clip[:, 1, 1].any()
    assert clip[2, 1, 0, 0] == pytest.approx(0.9)


def test_frame_range_all_ignores_the_annotation(tmp_path):
    path = save(tmp_path, joint_rows([100, 101, 103], person=1))
    with pytest.raises(SkeletonFormatError,
                       match=r'no frame in \[10, 14\].*span 100-103'):
        read_bold_clip(key(path), 8)
    clip = read_bold_clip(key(path), 8, frame_range='all')
    assert clip[2, :4, 0, 0].tolist() == pytest.approx([0.9, 0.9, 0, 0.9])
    with pytest.raises(ValueError, match='frame_range'):
        read_bold_clip(key(path), 8, frame_range='middle')


@pytest.mark.parametrize('content,message', [
    (None, 'joint file not found'),
    (np.zeros((3, 55)), r'\(rows, 56\) array'),
    (np.zeros(56), r'\(rows, 56\) array'),
    (joint_rows([10], person=3), r'person_id 1 not in the file \(persons: '
     r'\[3\]\)'),
    (np.zeros((0, 56)), 'persons: none'),
])
def test_bad_joint_files_name_the_file(tmp_path, content, message):
    path = str(tmp_path / 'x.npy')
    if content is not None:
        np.save(path, content)
    with pytest.raises(SkeletonFormatError, match=message) as info:
        read_bold_clip(key(path), 8)
    assert info.value.path == path


def test_unreadable_npy_is_a_format_error(tmp_path):
    path = tmp_path / 'x.npy'
    path.write_bytes(b'not numpy')
    with pytest.raises(SkeletonFormatError, match='not a readable .npy'):
        read_bold_clip(key(str(path)), 8)


def test_normalise_keeps_the_aspect_ratio():
    clip = np.zeros((2, 18, 3))
    clip[0, :2] = [[10, 20, 1], [30, 60, 0.5]]  # box 20 x 40
    normal = normalise_clip(clip)
    assert normal[0, :2, :2].tolist() == [[-0.25, -0.5], [0.25, 0.5]]
    assert not normal[1].any() and not normalise_clip(clip[1:]).any()


def test_joints_path_replaces_only_the_last_suffix():
    assert joints_relative_path('x.mp4/0001.mp4') == 'x.mp4/0001.npy'
