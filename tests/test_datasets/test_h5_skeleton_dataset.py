"""The HDF5 feeder: same items as the npy feeder, lazy, worker-safe."""

import pickle

import h5py
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader

from stgcn_reg.datasets import H5SkeletonDataset, SkeletonDataset
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.registry import DATASETS


@pytest.fixture
def h5_and_npy(make_skeleton_files, tmp_path):
    """An npy + pkl pair and the HDF5 file converted from it."""
    data_path, label_path = make_skeleton_files(num_samples=5)
    h5_path = str(tmp_path / 'train.h5')
    convert_npy_to_h5(data_path, label_path, h5_path)
    return h5_path, data_path, label_path


def write_h5(path, data, labels, names=None, skip=()):
    """Write an HDF5 feeder file by hand, leaving out the keys in skip."""
    names = [f's{i}' for i in range(len(labels))] if names is None else names
    with h5py.File(path, 'w') as file:
        if 'data' not in skip:
            file.create_dataset('data', data=np.asarray(data, np.float32))
        if 'label' not in skip:
            file.create_dataset('label', data=np.asarray(labels))
        if 'sample_name' not in skip:
            file.create_dataset(
                'sample_name', data=names, dtype=h5py.string_dtype()
            )
    return str(path)


def test_items_equal_the_npy_feeder(h5_and_npy):
    h5_path, data_path, label_path = h5_and_npy
    h5 = H5SkeletonDataset(h5_path, num_classes=3, layout='ntu-rgb+d')
    npy = SkeletonDataset(data_path, label_path, num_classes=3)
    assert len(h5) == len(npy) == 5
    for index in range(len(npy)):
        expected, item = npy[index], h5[index]
        assert item['data_samples'] == expected['data_samples']
        assert item['inputs'].dtype == torch.float32
        torch.testing.assert_close(item['inputs'], expected['inputs'])


def test_reads_lazily_and_pickles_without_handle(h5_and_npy):
    h5_path = h5_and_npy[0]
    dataset = H5SkeletonDataset(h5_path)
    assert dataset._file is None  # only labels and names were read
    first = dataset[0]['inputs']
    assert dataset._file is not None and dataset._file.id.valid
    clone = pickle.loads(pickle.dumps(dataset))
    assert clone._file is None
    torch.testing.assert_close(clone[0]['inputs'], first)
    dataset.close()
    assert dataset._file is None
    torch.testing.assert_close(dataset[0]['inputs'], first)
    # a handle inherited through fork is replaced by the process's own
    inherited = dataset.file
    dataset._file_pid = -1
    assert dataset.file is not inherited


def test_dataloader_with_two_workers(h5_and_npy):
    h5_path = h5_and_npy[0]
    dataset = H5SkeletonDataset(h5_path)
    dataset[0]  # a handle open in the parent must not leak into workers
    loader = DataLoader(
        dataset, batch_size=2, num_workers=2, collate_fn=pseudo_collate
    )
    seen = {}
    for batch in loader:
        # pseudo_collate keeps a list per key of data_samples
        for inputs, index in zip(
            batch['inputs'], batch['data_samples']['index']
        ):
            seen[index] = inputs
    assert sorted(seen) == list(range(5))
    for index, inputs in seen.items():
        torch.testing.assert_close(inputs, dataset[index]['inputs'])


def test_pipeline_from_config(default_scope, h5_and_npy):
    dataset = DATASETS.build(
        dict(
            type='H5SkeletonDataset',
            data_path=h5_and_npy[0],
            pipeline=[dict(type='RandomChoose', window_size=8)],
        )
    )
    assert isinstance(dataset, H5SkeletonDataset)
    assert dataset[0]['inputs'].shape == (3, 8, 25, 2)


def test_data_root_indices_and_lazy_init(h5_and_npy, tmp_path):
    dataset = H5SkeletonDataset(
        'train.h5', data_root=str(tmp_path), indices=2, lazy_init=True
    )
    dataset.full_init()
    assert len(dataset) == 2


def test_utf8_names(tmp_path):
    path = write_h5(
        tmp_path / 'n.h5', np.zeros((2, 3, 4, 25, 1)), [0, 1], ['ä', 'b']
    )
    dataset = H5SkeletonDataset(path)
    assert dataset[0]['data_samples']['sample_name'] == 'ä'


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='data_path.*nope.h5'):
        H5SkeletonDataset(str(tmp_path / 'nope.h5'))


def test_not_an_hdf5_file(tmp_path):
    path = tmp_path / 'text.h5'
    path.write_text('hello')
    with pytest.raises(ValueError, match='text.h5.*not a readable HDF5'):
        H5SkeletonDataset(str(path))


def test_missing_key_lists_the_available_ones(tmp_path):
    path = write_h5(
        tmp_path / 'k.h5', np.zeros((2, 3, 4, 25, 1)), [0, 1], skip=['label']
    )
    with pytest.raises(
        KeyError, match=r"k.h5.*no dataset 'label'.*\['data', 'sample_name'\]"
    ):
        H5SkeletonDataset(path)
    # other names are configurable
    with pytest.raises(KeyError, match="no dataset 'x'"):
        H5SkeletonDataset(path, data_key='x')


def test_wrong_rank_is_reported(tmp_path):
    path = write_h5(tmp_path / 'r.h5', np.zeros((2, 3, 4, 25)), [0, 1])
    with pytest.raises(
        ValueError, match=r"r.h5.*'data'.*5-D.*\(2, 3, 4, 25\)"
    ):
        H5SkeletonDataset(path)


def test_length_mismatch_names_both_lengths(tmp_path):
    path = write_h5(tmp_path / 'm.h5', np.zeros((3, 3, 4, 25, 1)), [0, 1])
    with pytest.raises(
        ValueError, match=r"m.h5.*'label' has 2 entries.*'data' has 3"
    ):
        H5SkeletonDataset(path)
    path = write_h5(
        tmp_path / 'n.h5', np.zeros((2, 3, 4, 25, 1)), [0, 1], ['a']
    )
    with pytest.raises(
        ValueError, match=r"n.h5.*'sample_name' has 1 entries.*'data' has 2"
    ):
        H5SkeletonDataset(path)


def test_bad_labels(tmp_path):
    path = write_h5(tmp_path / 'l.h5', np.zeros((2, 3, 4, 25, 1)), [0, 7])
    with pytest.raises(
        ValueError, match=r"l.h5.*'label'.*label #1 is 7, outside \[0, 5\)"
    ):
        H5SkeletonDataset(path, num_classes=5)
    path = write_h5(tmp_path / 'f.h5', np.zeros((2, 3, 4, 25, 1)), [0.0, 1])
    with pytest.raises(ValueError, match="f.h5.*'label'.*integer"):
        H5SkeletonDataset(path)


def test_joint_count_against_layout(tmp_path):
    path = write_h5(tmp_path / 'v.h5', np.zeros((1, 3, 4, 18, 1)), [0])
    with pytest.raises(ValueError, match=r"v.h5.*V=18.*'ntu-rgb\+d' has 25"):
        H5SkeletonDataset(path, layout='ntu-rgb+d')
