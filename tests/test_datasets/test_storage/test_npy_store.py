"""The ``.npy`` + label pickle store: names, labels, checked samples."""
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets.storage import NpyStore


def test_names_labels_shape_and_samples(make_skeleton_files):
    data_path, label_path = make_skeleton_files(num_samples=4)
    store = NpyStore(data_path, label_path, layout='ntu-rgb+d')
    data = np.load(data_path)
    assert len(store) == 4 and store.labels == [0, 1, 2, 0]
    assert store.names == [f'sample{i:04d}' for i in range(4)]
    assert store.sample_shape == (3, 12, 25, 2)
    assert store.dtype == np.float32 and store.path == data_path
    sample = store.read(3)
    np.testing.assert_array_equal(sample, data[3])
    sample[:] = 0  # a copy the caller may change, not the memory map
    np.testing.assert_array_equal(store.read(3), data[3])


def test_without_labels_and_through_pickle(make_skeleton_files):
    data_path, _ = make_skeleton_files(num_samples=2)
    store = NpyStore(data_path)
    assert store.names is None and store.labels is None
    assert isinstance(store.array, np.memmap)
    clone = pickle.loads(pickle.dumps(store))
    assert clone.opened_array is None  # reopened on use, never pickled
    np.testing.assert_array_equal(clone.read(1), store.read(1))


def test_checks(make_skeleton_files, tmp_path):
    data_path, label_path = make_skeleton_files(num_samples=3)
    with pytest.raises(ValueError, match="V=25.*'openpose' has 18"):
        NpyStore(data_path, label_path, layout='openpose')
    with pytest.raises(ValueError, match=r'label #1 is 1, outside \[0, 1\)'):
        NpyStore(data_path, label_path, num_classes=1)
    data = np.load(data_path)
    data[2, 0, 0, 0, 0] = np.nan
    np.save(data_path, data)
    with pytest.raises(ValueError, match='sample #2 contains 1 non-finite'):
        NpyStore(data_path, label_path).read(2)
    np.save(data_path, data[:0])
    with pytest.raises(ValueError, match='has 0 samples'):
        NpyStore(data_path)
