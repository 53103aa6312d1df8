"""Kinetics-skeleton JSON reader: reference feeder semantics, bad files."""

import glob
import json
import os.path as osp

import numpy as np
import pytest

from stgcn_reg.datasets.readers import SkeletonFormatError
from stgcn_reg.datasets.readers.kinetics_json import (
    read_kinetics_json,
    read_kinetics_video,
)
from stgcn_reg.datasets.readers.kinetics_labels import load_label_index


def person(x: float, y: float, score: float, joints: int = 18) -> dict:
    """One skeleton with every joint at ``(x, y)`` and ``score``."""
    return dict(pose=[x, y] * joints, score=[score] * joints)


def write_video(folder, name: str, frames, **extra) -> str:
    """Write ``{"data": [...]}``; ``frames`` maps frame_index -> persons."""
    data = [
        dict(frame_index=index, skeleton=persons)
        for index, persons in frames.items()
    ]
    path = osp.join(str(folder), name)
    with open(path, 'w') as file:
        json.dump(dict(data=data, label='x', label_index=0, **extra), file)
    return path


def expected_persons(frame: dict, num_in: int = 5, num_out: int = 2):
    """Independent reading of one frame: the (3, 18) persons expected."""
    persons = []
    for skeleton in frame['skeleton'][:num_in]:
        pose = np.asarray(skeleton['pose'], np.float64)
        score = np.asarray(skeleton['score'], np.float64)
        xy = np.stack([pose[0::2], pose[1::2]]) - 0.5
        xy[:, score == 0] = 0
        persons.append(np.concatenate([xy, score[None]]))
    persons.sort(key=lambda p: -p[2].sum())  # stable: file order on ties
    return persons[:num_out]


@pytest.fixture
def kinetics_files(shared_data) -> list:
    files = sorted(glob.glob(osp.join(shared_data, 'kinetics', 'val', '*')))
    if not files:
        pytest.skip('no Kinetics sample files in shared data')
    return files


def test_real_files_shape_and_channels(kinetics_files):
    for path in kinetics_files:
        array, dropped = read_kinetics_video(path)
        assert array.shape == (3, 300, 18, 2)
        assert array.dtype == np.float32 and dropped == 0
        undetected = array[2] == 0
        assert not array[0][undetected].any()
        assert not array[1][undetected].any()
        # normalised coordinates, centred (OpenPose overshoots 1 slightly)
        assert np.abs(array[:2]).max() <= 0.6
        assert array[2].min() >= 0 and array[2].max() <= 1


def test_real_files_frames_and_per_frame_ranking(kinetics_files):
    checked_three = False
    for path in kinetics_files:
        with open(path) as file:
            frames = json.load(file)['data']
        array = read_kinetics_json(path)
        occupied = set()
        for frame in frames:
            t = frame['frame_index'] - 1  # 1-based in the release
            occupied.add(t)
            expected = expected_persons(frame)
            for m in range(2):
                want = expected[m] if m < len(expected) else np.zeros((3, 18))
                np.testing.assert_allclose(array[:, t, :, m], want, atol=1e-6)
            if len(frame['skeleton']) >= 3:
                checked_three = True
                totals = [sum(s['score']) for s in frame['skeleton']]
                best = sorted(totals, reverse=True)[:2]
                np.testing.assert_allclose(
                    array[2, t].sum(axis=0), best, rtol=1e-5
                )
        empty = sorted(set(range(300)) - occupied)
        assert not array[:, empty].any()
    assert checked_three, 'no frame with 3 people in the samples'


def test_openpose_demo_zero_based(shared_data):
    demo = osp.join(shared_data, 'openpose_demo')
    path = osp.join(demo, 'clean_and_jerk.json')
    with open(path) as file:
        first = json.load(file)['data'][0]
    assert first['frame_index'] == 0
    array = read_kinetics_json(path, frame_index_base=0)
    assert array.shape == (3, 300, 18, 2)
    np.testing.assert_allclose(
        array[:, 0, :, 0], expected_persons(first)[0], atol=1e-6
    )
    with pytest.raises(SkeletonFormatError, match='frame_index_base=0'):
        read_kinetics_json(path)
    with pytest.raises(SkeletonFormatError, match='no skeleton frames'):
        read_kinetics_json(osp.join(demo, 'skateboarding.json'))


def test_per_frame_order_and_persons_in(tmp_path):
    low, mid, high = (
        person(0.1, 0.1, 0.2),
        person(0.2, 0.2, 0.5),
        person(0.3, 0.3, 0.9),
    )
    frames = {
        1: [low, mid, high],
        2: [high, low],
        # a 6th skeleton is never read, however high its score
        3: [low, low, low, low, mid, person(0.9, 0.9, 1.0)],
        4: [],
    }
    array = read_kinetics_json(write_video(tmp_path, 'v.json', frames))
    assert array.shape == (3, 300, 18, 2)
    assert array[2, 0, 0].tolist() == pytest.approx([0.9, 0.5])
    assert array[0, 0, 0].tolist() == pytest.approx([-0.2, -0.3])
    assert array[2, 1, 0].tolist() == pytest.approx([0.9, 0.2])
    assert array[2, 2, 0].tolist() == pytest.approx([0.5, 0.2])
    assert not array[:, 3:].any()
    three = read_kinetics_json(
        write_video(tmp_path, 'v.json', frames), num_person_out=3
    )
    assert three[2, 0, 0].tolist() == pytest.approx([0.9, 0.5, 0.2])


def test_ties_keep_file_order_and_zero_scores_zero_xy(tmp_path):
    a, b = person(0.1, 0.2, 0.5), person(0.7, 0.8, 0.5)
    partly = person(0.6, 0.6, 0.3)
    partly['score'][:9] = [0] * 9
    path = write_video(tmp_path, 'v.json', {1: [a, b], 2: [partly]})
    array = read_kinetics_json(path)
    assert array[0, 0, 0].tolist() == pytest.approx([-0.4, 0.2])
    assert not array[:2, 1, :9, 0].any()
    assert array[0, 1, 9:, 0] == pytest.approx(0.1)


def test_frames_past_the_limit_are_dropped(tmp_path):
    frames = {
        1: [person(0.5, 0.5, 1)],
        300: [person(0.6, 0.6, 1)],
        301: [person(0.7, 0.7, 1)],
        5000: [person(0.7, 0.7, 1)],
    }
    path = write_video(tmp_path, 'v.json', frames)
    array, dropped = read_kinetics_video(path)
    assert dropped == 2 and array.shape == (3, 300, 18, 2)
    assert array[0, 299, 0, 0] == pytest.approx(0.1)
    short, dropped = read_kinetics_video(path, max_frames=10)
    assert short.shape == (3, 10, 18, 2) and dropped == 3
    late = write_video(tmp_path, 'late.json', {400: [person(0.5, 0.5, 1)]})
    with pytest.raises(SkeletonFormatError, match='past the 300-frame'):
        read_kinetics_video(late)


@pytest.mark.parametrize(
    'content, message',
    [
        ('', 'empty file'),
        (
            '{"data": [{"frame_index": 1,\n "skeleton": [}]}',
            r'line 2: invalid JSON: .*column 15',
        ),
        ('[1, 2]', 'expected an object with a "data" key'),
        ('{"label": "x"}', r'"data" key, found \[\'label\'\]'),
        ('{"data": {}}', '"data" should be a list'),
        ('{"data": []}', 'no skeleton frames'),
        (
            '{"data": [{"frame_index": 1, "skeleton": []}]}',
            'no skeleton in any of the 1 frames',
        ),
        ('{"data": [{"frame_index": 1}]}', r'data\[0\] should be an object'),
        (
            '{"data": [{"frame_index": "1", "skeleton": []}]}',
            'should be an integer',
        ),
    ],
)
def test_malformed_files(tmp_path, content, message):
    path = tmp_path / 'bad.json'
    path.write_text(content)
    with pytest.raises(SkeletonFormatError, match=message) as info:
        read_kinetics_json(str(path))
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    'key, value, message',
    [
        ('pose', [0.5] * 34, '"pose" has 34 values, expected 36'),
        ('score', [0.5] * 17, '"score" has 17 values, expected 18'),
        ('pose', [0.5] * 35 + ['x'], "non-numeric value 'x'"),
        ('score', [0.5] * 17 + [None], 'non-numeric value None'),
        ('score', [True] * 18, 'non-numeric value True'),
        ('pose', 'abc', 'should be a list of 36 numbers'),
        ('score', [float('nan')] * 18, 'NaN or infinity'),
    ],
)
def test_bad_values_name_the_frame(tmp_path, key, value, message):
    bad = person(0.5, 0.5, 1)
    bad[key] = value
    path = write_video(
        tmp_path,
        'v.json',
        {1: [person(0.5, 0.5, 1)], 7: [person(0.5, 0.5, 1), bad]},
    )
    with pytest.raises(SkeletonFormatError, match=message) as info:
        read_kinetics_json(path)
    assert 'frame_index 7, skeleton #1' in str(info.value)


def test_bad_options():
    with pytest.raises(ValueError, match='num_person_out'):
        read_kinetics_json('unused.json', num_person_in=2, num_person_out=3)
    with pytest.raises(ValueError, match='frame_index_base'):
        read_kinetics_json('unused.json', frame_index_base=2)


def test_load_label_index(tmp_path, shared_data):
    labels = load_label_index(
        osp.join(shared_data, 'kinetics', 'val_label.json')
    )
    assert labels['__NrybzYzUg'] == dict(
        has_skeleton=True, label='abseiling', label_index=0
    )
    bad = tmp_path / 'label.json'
    bad.write_text('{"a": {"has_skeleton": 1, "label_index": 3}}')
    with pytest.raises(SkeletonFormatError, match="entry 'a'"):
        load_label_index(str(bad))
    bad.write_text('{"a": ')
    with pytest.raises(SkeletonFormatError, match='invalid JSON'):
        load_label_index(str(bad))
