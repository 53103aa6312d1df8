"""The NTU-format feeder: loading, memory map, pipeline, bad input."""
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets import SkeletonDataset
from stgcn_reg.registry import DATASETS


def test_items_are_tensors_with_labels(make_skeleton_files):
    data_path, label_path = make_skeleton_files(num_samples=5)
    dataset = SkeletonDataset(data_path, label_path, num_classes=3,
                              layout='ntu-rgb+d')
    assert len(dataset) == 5
    item = dataset[3]
    assert item['inputs'].shape == (3, 12, 25, 2)
    assert item['data_samples'] == dict(label=0, index=3,
                                        sample_name='sample0003')
    expected = np.load(data_path)[3]
    np.testing.assert_array_equal(item['inputs'].numpy(), expected)


def test_mmap_keeps_data_on_disk(make_skeleton_files):
    data_path, label_path = make_skeleton_files()
    mapped = SkeletonDataset(data_path, label_path, mmap=True)
    loaded = SkeletonDataset(data_path, label_path, mmap=False)
    assert isinstance(mapped.data, np.memmap)
    assert not isinstance(loaded.data, np.memmap)
    # the memory map is reopened in worker processes, not pickled
    assert pickle.loads(pickle.dumps(mapped))._data is None


def test_pipeline_from_config(default_scope, make_skeleton_files):
    data_path, label_path = make_skeleton_files()
    dataset = DATASETS.build(dict(
        type='SkeletonDataset', data_path=data_path, label_path=label_path,
        pipeline=[dict(type='RandomChoose', window_size=5)]))
    assert dataset[0]['inputs'].shape == (3, 5, 25, 2)


def test_indices_keep_a_subset(make_skeleton_files):
    data_path, label_path = make_skeleton_files(num_samples=6)
    dataset = SkeletonDataset(data_path, label_path, indices=2)
    assert len(dataset) == 2


def write(tmp_path, data, labels, names=None):
    data_path, label_path = tmp_path / 'd.npy', tmp_path / 'l.pkl'
    np.save(data_path, data)
    names = names if names is not None else [str(i) for i in labels]
    with open(label_path, 'wb') as file:
        pickle.dump((names, labels), file)
    return str(data_path), str(label_path)


def test_missing_data_file_is_named(tmp_path):
    _, label_path = write(tmp_path, np.zeros((1, 3, 2, 25, 1)), [0])
    with pytest.raises(FileNotFoundError, match='data_path.*nope.npy'):
        SkeletonDataset(str(tmp_path / 'nope.npy'), label_path)


def test_missing_label_file_is_named(tmp_path):
    data_path, _ = write(tmp_path, np.zeros((1, 3, 2, 25, 1)), [0])
    with pytest.raises(FileNotFoundError, match='label_path.*nope.pkl'):
        SkeletonDataset(data_path, str(tmp_path / 'nope.pkl'))


def test_wrong_rank_is_reported(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((1, 3, 2, 25)), [0])
    with pytest.raises(ValueError, match=r'd.npy.*5-D.*\(1, 3, 2, 25\)'):
        SkeletonDataset(data_path, label_path)


def test_label_count_mismatch_is_reported(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((3, 3, 2, 25, 1)),
                                  [0, 1])
    with pytest.raises(ValueError, match='2 labels.*3 samples'):
        SkeletonDataset(data_path, label_path)


def test_label_out_of_range_is_reported(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((2, 3, 2, 25, 1)),
                                  [0, 7])
    with pytest.raises(ValueError, match=r'label #1 is 7, outside \[0, 5\)'):
        SkeletonDataset(data_path, label_path, num_classes=5)


def test_negative_and_non_integer_labels(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((2, 3, 2, 25, 1)),
                                  [0, -1])
    with pytest.raises(ValueError, match='label #1 is -1'):
        SkeletonDataset(data_path, label_path)
    data_path, label_path = write(tmp_path, np.zeros((2, 3, 2, 25, 1)),
                                  [0, 'run'])
    with pytest.raises(ValueError, match='integer class index'):
        SkeletonDataset(data_path, label_path)


def test_joint_count_against_layout(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((1, 3, 2, 18, 1)), [0])
    with pytest.raises(ValueError, match="V=18.*'ntu-rgb\\+d' has 25"):
        SkeletonDataset(data_path, label_path, layout='ntu-rgb+d')


def test_label_file_that_is_not_a_pair(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((1, 3, 2, 25, 1)), [0])
    with open(label_path, 'wb') as file:
        pickle.dump({'labels': [0]}, file)
    with pytest.raises(ValueError, match='sample_names, labels'):
        SkeletonDataset(data_path, label_path)


def test_malicious_label_pickle_is_refused(tmp_path):
    data_path, label_path = write(tmp_path, np.zeros((1, 3, 2, 25, 1)), [0])
    marker = tmp_path / 'pwned'

    class Exploit:
        def __reduce__(self):
            import os
            return os.system, (f'touch {marker}', )

    with open(label_path, 'wb') as file:
        pickle.dump((['a'], [Exploit()]), file)
    with pytest.raises(pickle.UnpicklingError, match='system'):
        SkeletonDataset(data_path, label_path)
    assert not marker.exists()
