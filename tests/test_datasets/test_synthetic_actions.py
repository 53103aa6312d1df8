import pickle
import re

import numpy as np
import pytest

from stgcn_reg.datasets.synthetic_actions import (
    ACTION_NAMES,
    make_dataset,
    make_sequence,
    write_demo_dataset,
)
from stgcn_reg.utils import safe_load_pickle

NAME_PATTERN = re.compile(r'^S\d{3}C\d{3}P\d{3}R\d{3}A(\d{3})$')


def _motion_features(data: np.ndarray) -> np.ndarray:
    """Per-joint temporal std of hip-relative positions, (N, 25)."""
    features = []
    for clip in data[..., 0]:  # (3, T, 25) of person 0
        valid = np.abs(clip).sum(axis=(0, 2)) > 0
        rel = clip[:, valid] - clip[:, valid, :1]
        features.append(np.sqrt(rel.var(axis=1).sum(axis=0)))
    return np.stack(features)


def test_make_sequence_shape_and_layout():
    rng = np.random.default_rng(0)
    for action in range(len(ACTION_NAMES)):
        seq = make_sequence(action, 40, rng)
        assert seq.shape == (3, 40, 25, 2)
        assert seq.dtype == np.float32
        assert np.isfinite(seq).all()
        assert not seq[..., 1].any()  # second person slot is empty
        first = seq[:, 0, :, 0]
        # upright: head above neck above spine above hip above the feet
        heights = first[1, [3, 2, 20, 0]]
        assert np.all(np.diff(heights) < 0)
        assert first[1, [15, 19]].max() < first[1, 0]
        assert 1.5 < first[2, 0] < 4.5  # in front of the camera


def test_make_sequence_rejects_bad_action():
    with pytest.raises(ValueError, match='action'):
        make_sequence(len(ACTION_NAMES), 10, np.random.default_rng(0))


def test_padding_frames_are_exactly_zero():
    rng = np.random.default_rng(1)
    seq = make_sequence(2, 50, rng, pad_prob=1.0)
    valid = np.abs(seq).sum(axis=(0, 2, 3)) > 0
    num_valid = int(valid.sum())
    assert 30 <= num_valid < 50
    assert valid[:num_valid].all()  # valid frames first, then padding
    assert np.all(seq[:, num_valid:] == 0)
    full = make_sequence(2, 50, rng, pad_prob=0.0)
    assert (np.abs(full).sum(axis=(0, 2, 3)) > 0).all()


def test_make_dataset_labels_names_determinism():
    data, names, labels = make_dataset(35, num_frames=24, seed=3)
    num_classes = len(ACTION_NAMES)
    assert data.shape == (35, 3, 24, 25, 2) and data.dtype == np.float32
    assert all(type(label) is int for label in labels)
    assert np.bincount(labels, minlength=num_classes).tolist() == (
        [5] * 3 + [4] * 5
    )
    assert labels != sorted(labels)  # shuffled
    assert len(set(names)) == len(names)
    for name, label in zip(names, labels):
        match = NAME_PATTERN.match(name)
        assert match and int(match.group(1)) == label + 1
    assert not data[..., 1].any()
    again = make_dataset(35, num_frames=24, seed=3)
    np.testing.assert_array_equal(data, again[0])
    assert (names, labels) == (again[1], again[2])
    other = make_dataset(35, num_frames=24, seed=4)
    assert not np.array_equal(data, other[0])


def test_write_demo_dataset(tmp_path):
    out_dir = tmp_path / 'demo'
    info = write_demo_dataset(
        str(out_dir), num_train=16, num_val=8, num_frames=20, seed=5
    )
    assert info['num_train'] == 16 and info['num_val'] == 8
    assert info['num_classes'] == len(ACTION_NAMES)
    assert sorted(p.name for p in out_dir.iterdir()) == [
        'train_data.npy',
        'train_label.pkl',
        'val_data.npy',
        'val_label.pkl',
    ]  # no temp files left behind
    arrays = {}
    for split, count in (('train', 16), ('val', 8)):
        data = np.load(info[f'{split}_data'], allow_pickle=False)
        assert data.shape == (count, 3, 20, 25, 2)
        assert data.dtype == np.float32
        with open(info[f'{split}_label'], 'rb') as file:
            names, labels = pickle.load(file)
        assert (names, labels) == tuple(
            safe_load_pickle(info[f'{split}_label'])
        )
        assert len(names) == len(labels) == count
        assert all(isinstance(n, str) for n in names)
        assert all(type(label) is int for label in labels)
        arrays[split] = data
    # the validation clips come from another random stream
    assert not np.array_equal(arrays['train'][:8], arrays['val'])


def test_classes_are_distinguishable():
    train, _, train_labels = make_dataset(160, num_frames=48, seed=10)
    val, _, val_labels = make_dataset(80, num_frames=48, seed=11)
    train_x, val_x = _motion_features(train), _motion_features(val)
    train_y, val_y = np.array(train_labels), np.array(val_labels)
    centroids = np.stack(
        [train_x[train_y == c].mean(axis=0) for c in range(len(ACTION_NAMES))]
    )
    dist = ((val_x[:, None] - centroids[None]) ** 2).sum(axis=-1)
    accuracy = (dist.argmin(axis=1) == val_y).mean()
    assert accuracy >= 0.7
