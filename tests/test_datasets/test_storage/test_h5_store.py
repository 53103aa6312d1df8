"""The HDF5 store: the same samples as the npy pair it was made from."""
import os
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.datasets.storage import H5Store, NpyStore


@pytest.fixture
def stores(make_skeleton_files, tmp_path):
    data_path, label_path = make_skeleton_files(num_samples=5)
    h5_path = str(tmp_path / 'train.h5')
    convert_npy_to_h5(data_path, label_path, h5_path)
    return H5Store(h5_path, layout='ntu-rgb+d'), NpyStore(data_path,
                                                          label_path)


def test_same_as_the_npy_store(stores):
    h5, npy = stores
    assert (h5.names, h5.labels, len(h5)) == (npy.names, npy.labels, 5)
    assert h5.sample_shape == npy.sample_shape and h5.dtype == np.float32
    for index in range(5):
        np.testing.assert_array_equal(h5.read(index), npy.read(index))


def test_one_handle_per_process(stores):
    h5 = stores[0]
    assert h5._file is None  # the checks closed their handle
    h5.read(0)
    handle = h5.file
    assert handle.id.valid and h5._file_pid == os.getpid()
    assert pickle.loads(pickle.dumps(h5))._file is None
    h5.close()
    assert h5._file is None and not handle.id.valid


def test_value_checks_name_the_dataset(stores, tmp_path):
    with pytest.raises(ValueError, match=r"dataset 'data'.*V=25.*'coco'"):
        H5Store(stores[0].path, layout='coco')
    with pytest.raises(ValueError, match=r"'label': label #1 is 1, outside"):
        H5Store(stores[0].path, num_classes=1)
