"""The NTU ``.skeleton`` reader: values, bodies, frames, bad files."""

import numpy as np
import pytest
from ntu_raw import (
    REAL_SAMPLES,
    body,
    one_body_frames,
    real_ntu_files,
    skeleton_text,
    write,
)

from stgcn_reg.datasets.readers import SkeletonFormatError
from stgcn_reg.datasets.readers.ntu_skeleton import (
    body_activity,
    read_ntu_sample,
    read_skeleton_file,
    to_array,
)


def raw_xyz(lines, frame: int, body_index: int, joint: int) -> list:
    """Walk the raw lines independently of the reader."""
    index = 1
    for current in range(frame + 1):
        num_bodies = int(lines[index])
        index += 1
        for position in range(num_bodies):
            if (current, position) == (frame, body_index):
                values = lines[index + 2 + joint].split()[:3]
                return [float(value) for value in values]
            index += 2 + int(lines[index + 1])
    raise AssertionError('no such joint')


@pytest.fixture
def ntu_files(shared_data) -> dict:
    return real_ntu_files(shared_data)


def test_real_files_match_raw_text(ntu_files):
    assert sorted(ntu_files) == sorted(REAL_SAMPLES)
    endings = set()
    for path in ntu_files.values():
        raw = open(path, 'rb').read()
        endings.add(b'\r\n' in raw)
        lines = raw.decode().splitlines()
        sequence = read_skeleton_file(path)
        assert sequence.num_frames == int(lines[0])
        array = read_ntu_sample(path)
        assert array.shape == (3, 300, 25, 2) and array.dtype == np.float32
        last = sequence.num_frames - 1
        for frame, joint in ((0, 3), (0, 0), (last // 2, 11), (last, 24)):
            np.testing.assert_allclose(
                array[:, frame, joint, 0],
                raw_xyz(lines, frame, 0, joint),
                rtol=1e-6,
            )
        assert np.abs(array[:, last]).sum() > 0
        assert not array[:, last + 1 :].any()  # zero padding
    assert endings == {True, False}  # both CRLF and LF files were read


def test_first_sample_has_one_body(ntu_files):
    sequence = read_skeleton_file(ntu_files['S001C001P001R001A001'])
    assert sequence.num_frames == 103 and len(sequence.bodies) == 1
    (track,) = sequence.bodies.values()
    assert track.frames.tolist() == list(range(103))
    assert track.joints.shape == (103, 25, 3)
    array = to_array(sequence)
    assert not array[..., 1].any()


@pytest.mark.parametrize('newline', ['\n', '\r\n'])
def test_synthetic_values_and_padding(tmp_path, newline):
    path = write(
        tmp_path, 'S001C001P001R001A001.skeleton', one_body_frames(3), newline
    )
    array = read_ntu_sample(path)
    np.testing.assert_allclose(
        array[:, 2, 4, 0], body(7, 2, 0.1)[1][4], rtol=1e-6
    )
    assert not array[:, 3:].any() and not array[..., 1].any()


def test_bodies_tracked_by_id_in_first_appearance_order(tmp_path):
    # body 5 appears first; body 9 is listed first in frame 1 and moves more
    frames = [[body(5, 0)], [body(9, 1, 1.0), body(5, 1)], [body(9, 2, 1.0)]]
    array = read_ntu_sample(write(tmp_path, 'a.skeleton', frames))
    assert array[0, :3, 0, 0].tolist() == [5.0, 5.0, 0.0]
    np.testing.assert_allclose(array[0, :3, 0, 1], [0, 10.0, 11.0])


def test_more_bodies_keep_the_most_active(tmp_path):
    frames = [
        [body(1, t, 0.0), body(2, t, 0.1), body(3, t, 0.3)] for t in range(4)
    ]
    sequence = read_skeleton_file(write(tmp_path, 'a.skeleton', frames))
    assert list(sequence.bodies) == [1, 2, 3]
    array = to_array(sequence)
    np.testing.assert_allclose(
        array[0, :4, 0, 0], [3, 3.3, 3.6, 3.9], rtol=1e-6
    )
    np.testing.assert_allclose(
        array[0, :4, 0, 1], [2, 2.1, 2.2, 2.3], rtol=1e-6
    )
    # 25 joints x (x and z) x var of {0, .1, .2, .3}
    joints = sequence.bodies[2].joints
    assert body_activity(joints) == pytest.approx(25 * 2 * 0.0125)
    assert to_array(sequence, max_bodies=3)[0, 0, 0].tolist() == [1, 2, 3]


def test_frames_beyond_max_frames_are_dropped(tmp_path):
    path = write(tmp_path, 'a.skeleton', one_body_frames(5))
    array = read_ntu_sample(path, max_frames=3, max_bodies=1)
    assert array.shape == (3, 3, 25, 1)
    np.testing.assert_allclose(array[2, :, 0, 0], [3.0, 3.1, 3.2], rtol=1e-6)


def lines_of(frames) -> list:
    return skeleton_text(frames).splitlines()


def write_lines(tmp_path, lines) -> str:
    path = tmp_path / 'S001C001P001R001A001.skeleton'
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def bad_case(kind: str) -> tuple:
    """Lines of a broken file, the expected 1-based line, message regex."""
    lines = lines_of(one_body_frames(3))
    # frame f starts at line 2 + 28 f; its joints at line 5 + 28 f
    if kind == 'truncated':
        return lines[:-5], None, r'truncated file.*expected 5 more line'
    if kind == 'joint value':
        fields = lines[4 + 28 + 3].split()
        fields[1] = 'abc'
        lines[4 + 28 + 3] = ' '.join(fields)
        return lines, 5 + 28 + 3, r"non-numeric y 'abc' of joint 3 of frame 1"
    if kind == 'body value':
        lines[2] = lines[2].replace('0.0276', '0.0x')
        return lines, 3, "non-numeric leanX '0.0x'"
    if kind == 'short joint line':
        lines[4] = ' '.join(lines[4].split()[:11])
        return lines, 5, 'joint 0 of frame 0 has 11 values, expected 12'
    if kind == 'negative count':
        lines[1 + 28] = '-1'
        return lines, 30, "body count of frame 1 is '-1'"
    if kind == 'absurd count':
        lines[0] = '999999999'
        return lines, 1, "frame count is '999999999'"
    frames = [[body(7, 0)], [body(7, 1, num_joints=24)]]
    return (
        lines_of(frames),
        32,
        'joint count of body 0 of frame 1 is 24, expected 25',
    )


@pytest.mark.parametrize(
    'kind',
    [
        'truncated',
        'joint value',
        'body value',
        'short joint line',
        'negative count',
        'absurd count',
        'joint count',
    ],
)
def test_bad_files_name_file_and_line(tmp_path, kind):
    lines, line, message = bad_case(kind)
    path = write_lines(tmp_path, lines)
    with pytest.raises(SkeletonFormatError, match=message) as info:
        read_ntu_sample(path)
    assert info.value.path == path and path in str(info.value)
    assert info.value.line == line


def test_empty_file_and_no_bodies(tmp_path):
    empty = tmp_path / 'empty.skeleton'
    empty.write_bytes(b'')
    with pytest.raises(SkeletonFormatError, match='empty file'):
        read_skeleton_file(str(empty))
    path = write(tmp_path, 'S001C001P001R001A001.skeleton', [[], [], []])
    assert read_skeleton_file(path).num_frames == 3
    with pytest.raises(SkeletonFormatError, match='no bodies in any of its 3'):
        read_ntu_sample(path)


@pytest.mark.parametrize('value, shown', [('inf', 'inf'), ('-1e39', '-1e+39')])
def test_non_finite_coordinate_names_the_line(tmp_path, value, shown):
    frames = one_body_frames(2)
    frames[1][0][1][3, 2] = np.nan  # placeholder, replaced in the text
    path = write(tmp_path, 'S001C001P001R001A001.skeleton', frames)
    text = open(path).read().replace('nan', value)
    open(path, 'w').write(text)
    with pytest.raises(SkeletonFormatError) as error:
        read_skeleton_file(path)
    assert error.value.line == 1 + 1 + 2 + 25 + 1 + 2 + 3 + 1
    assert error.value.reason == (f'z of joint 3 of frame 1 is {shown}, not '
                                  'a finite coordinate')
