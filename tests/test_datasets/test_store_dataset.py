"""Every feeder reads the stored sample of the entry it keeps."""
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets import (
    H5SkeletonDataset,
    PoseAnnotationDataset,
    SkeletonDataset,
)
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5


@pytest.fixture
def numbered(tmp_path):
    """Four samples whose values are their index; labels 0..3."""
    data = np.ones((4, 3, 2, 25, 1), np.float32)
    data *= np.arange(4, dtype=np.float32)[:, None, None, None, None]
    names, labels = ['a', 'b', 'c', 'd'], [0, 1, 2, 3]
    np.save(tmp_path / 'x.npy', data)
    with open(tmp_path / 'x.pkl', 'wb') as file:
        pickle.dump((names, labels), file)
    convert_npy_to_h5(str(tmp_path / 'x.npy'), str(tmp_path / 'x.pkl'),
                      str(tmp_path / 'x.h5'))
    annotations = [
        dict(frame_dir=name, label=label,
             keypoint=data[label].transpose(3, 1, 2, 0))
        for name, label in zip(names, labels)
    ]
    with open(tmp_path / 'ann.pkl', 'wb') as file:
        pickle.dump(annotations, file)
    return tmp_path


@pytest.mark.parametrize('build', [
    lambda root: SkeletonDataset(str(root / 'x.npy'), str(root / 'x.pkl'),
                                 indices=[2, 3]),
    lambda root: H5SkeletonDataset(str(root / 'x.h5'), indices=[2, 3]),
    lambda root: PoseAnnotationDataset(str(root / 'ann.pkl'),
                                       indices=[2, 3]),
], ids=['npy', 'h5', 'pose'])
def test_a_subset_reads_its_own_samples(numbered, build):
    dataset = build(numbered)
    for index, (name, label) in enumerate((('c', 2), ('d', 3))):
        item = dataset[index]
        assert item['data_samples']['sample_name'] == name
        assert item['data_samples']['label'] == label
        assert float(item['inputs'].max()) == label
