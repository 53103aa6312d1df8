"""The synthetic BOLD release: release layout, labels that follow motion."""
import filecmp
import os.path as osp

import numpy as np
import pytest

from stgcn_reg.datasets.readers.bold import (
    clip_key,
    load_joint_rows,
    read_bold_clip,
    read_bold_csv,
)
from stgcn_reg.datasets.synthetic_bold import (
    FACTOR,
    SIGN,
    write_bold_fixture,
)


@pytest.fixture(scope='module')
def release(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('fixture'))
    info = write_bold_fixture(root, num_train=60, num_val=4, num_test=2,
                              num_frames=40, seed=1)
    return root, info


def test_layout_follows_the_release(release):
    root, info = release
    assert info['rows'] == dict(train=60, val=4, test=2)
    rows, errors = read_bold_csv(osp.join(root, 'annotations', 'train.csv'))
    assert len(rows) == 60 and errors == []
    with open(osp.join(root, 'annotations', 'train.csv')) as file:
        assert len(file.readline().split(',')) == 37
    test_rows, errors = read_bold_csv(
        osp.join(root, 'annotations', 'test_meta.csv'), labelled=False)
    assert len(test_rows) == 2 and errors == []
    joints = load_joint_rows(
        osp.join(root, 'joints', rows[0].joints_path))
    persons = set(joints[:, 1].astype(int))
    assert rows[0].person_id in persons and len(persons) == 2
    frames = joints[joints[:, 1] == rows[0].person_id, 0]
    assert frames.min() <= rows[0].min_frame <= rows[0].max_frame \
        <= frames.max()
    # category scores are annotator votes of 5
    votes = np.stack([row.categories for row in rows]) * 5
    assert np.allclose(votes, votes.round(), atol=1e-5)


def _clips(root):
    rows, _ = read_bold_csv(osp.join(root, 'annotations', 'train.csv'))
    clips = np.stack([
        read_bold_clip(clip_key(osp.join(root, 'joints', r.joints_path), r),
                       num_frames=40) for r in rows])
    return rows, clips


def test_labels_follow_the_motion(release):
    rows, clips = _clips(release[0])
    ratings = np.stack([row.dimensions for row in rows])
    xy, seen = clips[:, :2, :, :, 0], clips[:, 2, :, :, 0] > 0  # (N,2,T,V)
    wrists = [4, 7]
    # wrists above the neck (joint 1; image y points down): high valence
    height = xy[:, 1]  # (N, T, V)
    lift = height[..., 1:2] - height[..., wrists]
    both = seen[:, :, 1:2] & seen[:, :, wrists]
    raised = (lift * both).sum(axis=(1, 2)) / both.sum(axis=(1, 2))
    assert np.corrcoef(raised, ratings[:, 0])[0, 1] > 0.7
    # frame-to-frame wrist motion: high arousal
    step = np.abs(np.diff(xy[..., wrists], axis=2)).sum(axis=1)
    both = seen[:, 1:, wrists] & seen[:, :-1, wrists]
    energy = (step * both).sum(axis=(1, 2)) / both.sum(axis=(1, 2))
    assert np.corrcoef(energy, ratings[:, 1])[0, 1] > 0.5
    categories = np.stack([row.categories for row in rows])
    for k in range(26):
        sign = np.corrcoef(categories[:, k],
                           ratings[:, FACTOR[k]])[0, 1] * SIGN[k]
        assert sign > 0.3, k


def test_same_seed_same_files(tmp_path):
    for name in ('a', 'b'):
        write_bold_fixture(str(tmp_path / name), num_train=3, num_val=1,
                           num_test=1, num_frames=6, seed=5)
    assert filecmp.cmp(tmp_path / 'a' / 'annotations' / 'train.csv',
                       tmp_path / 'b' / 'annotations' / 'train.csv',
                       shallow=False)


def test_defects_are_appended_to_train(tmp_path):
    info = write_bold_fixture(str(tmp_path), num_train=5, num_val=1,
                              num_test=1, num_frames=6, defects=True)
    assert info['defect_lines'] == [6, 7, 8, 9]
    rows, errors = read_bold_csv(str(tmp_path / 'annotations' / 'train.csv'))
    assert len(rows) == 7 and [line for line, _ in errors] == [8, 9]


def test_rejects_bad_sizes(tmp_path):
    with pytest.raises(ValueError, match='num_frames must be a positive'):
        write_bold_fixture(str(tmp_path), num_frames=0)
