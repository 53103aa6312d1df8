"""Feeders refuse empty axes (T=0 frames) and complex values by name."""
import pickle

import h5py
import numpy as np
import pytest

from stgcn_reg.datasets import (
    H5SkeletonDataset,
    PoseAnnotationDataset,
    SkeletonDataset,
)
from stgcn_reg.datasets.feeder_checks import check_skeleton_values


def write_npy_pair(folder, data):
    data_path, label_path = folder / 'd.npy', folder / 'l.pkl'
    np.save(data_path, data)
    count = len(data)
    with open(label_path, 'wb') as file:
        pickle.dump(([f's{i}' for i in range(count)], [0] * count), file)
    return str(data_path), str(label_path)


@pytest.mark.parametrize('shape, message', [
    ((2, 3, 0, 25, 2), 'has T=0 frames'),
    ((2, 3, 8, 0, 2), 'has V=0 joints'),
    ((2, 3, 8, 25, 0), 'has M=0 persons'),
    ((2, 0, 8, 25, 2), 'has C=0 channels'),
])
def test_npy_with_an_empty_axis(tmp_path, shape, message):
    data_path, label_path = write_npy_pair(tmp_path,
                                           np.zeros(shape, np.float32))
    with pytest.raises(ValueError) as error:
        SkeletonDataset(data_path, label_path)
    assert str(error.value).startswith(f"data_path '{data_path}': {message}")
    assert str(shape) in str(error.value)


def test_npy_with_complex_values(tmp_path):
    data = np.ones((2, 3, 8, 25, 2), np.complex64)
    data_path, label_path = write_npy_pair(tmp_path, data)
    with pytest.raises(ValueError) as error:
        SkeletonDataset(data_path, label_path)
    assert str(error.value) == (
        f"data_path '{data_path}': has complex dtype complex64; expected "
        'real coordinates (a float or integer array)')


def test_real_integer_and_float_arrays_pass():
    for dtype in (np.float16, np.float32, np.float64, np.int16, np.uint8):
        check_skeleton_values('x', (2, 3, 8, 25, 2), dtype)
    with pytest.raises(ValueError, match='numeric array, got dtype bool'):
        check_skeleton_values('x', (2, 3, 8, 25, 2), np.bool_)


def test_h5_with_no_frames_or_complex_values(tmp_path):
    for name, data, message in (
            ('t0.h5', np.zeros((2, 3, 0, 25, 2), np.float32),
             'has T=0 frames'),
            ('cx.h5', np.ones((2, 3, 8, 25, 2), np.complex64),
             'has complex dtype complex64')):
        path = str(tmp_path / name)
        with h5py.File(path, 'w') as file:
            file.create_dataset('data', data=data)
            file.create_dataset('label', data=np.zeros(2, np.int64))
            file.create_dataset('sample_name', data=['a', 'b'],
                                dtype=h5py.string_dtype())
        with pytest.raises(ValueError) as error:
            H5SkeletonDataset(path)
        assert str(error.value).startswith(
            f"data_path '{path}' dataset 'data': {message}")


@pytest.mark.parametrize('keypoint, message', [
    (np.zeros((1, 0, 25, 3), np.float32), 'has T=0 frames'),
    (np.ones((1, 6, 25, 3), np.complex128), 'has complex dtype complex128'),
])
def test_pose_annotation_with_no_frames_or_complex_values(
        tmp_path, keypoint, message):
    good = np.zeros((1, 6, 25, 3), np.float32)
    annotations = [
        dict(frame_dir=f'clip{i}', label=0, keypoint=array)
        for i, array in enumerate((good, keypoint))
    ]
    path = str(tmp_path / 'ann.pkl')
    with open(path, 'wb') as file:
        pickle.dump(annotations, file)
    with pytest.raises(ValueError) as error:
        PoseAnnotationDataset(path, layout='ntu-rgb+d')
    assert str(error.value).startswith(
        f"ann_file '{path}' split None, annotation #1 (frame_dir 'clip1') "
        f"field 'keypoint': {message}")
