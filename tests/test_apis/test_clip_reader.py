"""Reading single clips: raw files, .npy clips and stacks, dataset samples."""
import os.path as osp
import pickle

import numpy as np
import pytest
from conftest import write_skeleton_files

from stgcn_reg.apis import (
    find_clip_files,
    read_clip_file,
    read_clips,
    read_dataset_sample,
)
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5


@pytest.fixture
def dataset(tmp_path):
    data = np.random.default_rng(0).normal(size=(4, 3, 6, 25, 2))
    names = ['S001C001P001R001A003', 'b', 'c', 'd']
    paths = write_skeleton_files(str(tmp_path), 'val', data.astype('f4'),
                                 [2, 0, 1, 2], names)
    return data.astype(np.float32), paths


def test_single_clip_and_stack_of_clips(tmp_path, dataset):
    data, _ = dataset
    np.save(tmp_path / 'one.npy', data[1])
    np.save(tmp_path / 'two.npy', data[2:4])
    [clip] = read_clip_file(str(tmp_path / 'one.npy'))
    assert clip.name == 'one' and clip.label is None
    np.testing.assert_array_equal(clip.data, data[1])
    stack = read_clip_file(str(tmp_path / 'two.npy'))
    assert [c.name for c in stack] == ['two#0', 'two#1']
    np.testing.assert_array_equal(stack[1].data, data[3])


def test_dataset_sample_by_index_or_name(dataset):
    data, (data_path, label_path) = dataset
    by_name = read_dataset_sample(data_path, label_path, name='c')
    assert (by_name.name, by_name.label) == ('c', 1)
    np.testing.assert_array_equal(by_name.data, data[2])
    by_index = read_dataset_sample(data_path, label_path, index=-1)
    assert (by_index.name, by_index.label) == ('d', 2)
    no_labels = read_dataset_sample(data_path, index=0)
    assert no_labels.name == '#0' and no_labels.label is None


def test_hdf5_sample_by_name(tmp_path, dataset):
    data, (data_path, label_path) = dataset
    h5_path = str(tmp_path / 'val.h5')
    convert_npy_to_h5(data_path, label_path, h5_path)
    clip = read_dataset_sample(h5_path, name='b')
    assert (clip.name, clip.label) == ('b', 0)
    np.testing.assert_array_equal(clip.data, data[1])
    assert read_dataset_sample(h5_path, index=3).name == 'd'


def test_bad_choices_are_named(tmp_path, dataset):
    _, (data_path, label_path) = dataset
    with pytest.raises(ValueError, match='either a sample index or a'):
        read_dataset_sample(data_path, label_path)
    with pytest.raises(ValueError, match="no sample named 'zz'"):
        read_dataset_sample(data_path, label_path, name='zz')
    with pytest.raises(ValueError, match='index 4 out of range; the file '
                       'has 4 samples'):
        read_dataset_sample(data_path, label_path, index=4)
    with pytest.raises(ValueError, match='needs the sample names'):
        read_dataset_sample(data_path, name='b')
    np.save(tmp_path / 'flat.npy', np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r'got shape \(3, 4\)'):
        read_clip_file(str(tmp_path / 'flat.npy'))
    with pytest.raises(ValueError, match="unsupported suffix '.txt'"):
        (tmp_path / 'a.txt').write_text('x')
        read_clip_file(str(tmp_path / 'a.txt'))


def test_folder_reports_bad_files_and_goes_on(tmp_path, dataset):
    data, _ = dataset
    np.save(tmp_path / 'a.npy', data[0])
    (tmp_path / 'broken.json').write_text('{"data": [')
    with open(tmp_path / 'label.pkl', 'wb') as file:  # not a clip suffix
        pickle.dump(([], []), file)
    assert [osp.basename(p) for p in find_clip_files(str(tmp_path))] == [
        'a.npy', 'broken.json', 'val_data.npy'
    ]
    clips, errors = read_clips(str(tmp_path))
    assert [c.name for c in clips] == ['a'] + [f'val_data#{i}'
                                               for i in range(4)]
    assert len(errors) == 1 and 'broken.json' in errors[0]
    assert 'invalid JSON' in errors[0]


def test_real_ntu_and_kinetics_files(shared_data):
    ntu = osp.join(shared_data, 'ntu', 'S004C002P003R001A017.skeleton')
    [clip] = read_clip_file(ntu)
    assert clip.data.shape == (3, 300, 25, 2) and clip.label == 16
    kinetics = osp.join(shared_data, 'kinetics', 'val', '__NrybzYzUg.json')
    [clip] = read_clip_file(kinetics)
    assert clip.data.shape == (3, 300, 18, 2) and clip.label == 0
    # the OpenPose demo numbers frames from 0 and has no label
    demo = osp.join(shared_data, 'openpose_demo', 'clean_and_jerk.json')
    [clip] = read_clip_file(demo)
    assert clip.label is None and np.any(clip.data[2, 0] > 0)
    clips, errors = read_clips(osp.join(shared_data, 'openpose_demo'))
    assert [c.name for c in clips] == ['clean_and_jerk']
    assert len(errors) == 1 and 'skateboarding.json' in errors[0]
