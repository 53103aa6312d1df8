"""Malformed input through the public APIs, in process: clear errors, no
harm.

Each case feeds one bad input to a feeder, ``load_checkpoint_file`` or
config building and checks that it fails with a message naming the file
and/or field and what was expected, and that the input files are
byte-for-byte unchanged afterwards (``bad_input_helpers.left_unchanged``).
"""
import re

import h5py
import numpy as np
import pytest
import torch
from bad_input_helpers import (
    NUM_CLASSES,
    RunsCommand,
    left_unchanged,
    skeletons,
    write_label_pickle,
    write_pair,
)
from mmengine.config import Config
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import UnsafeCheckpointError, load_checkpoint_file
from stgcn_reg.datasets import (
    H5SkeletonDataset,
    PoseAnnotationDataset,
    SkeletonDataset,
)
from stgcn_reg.registry import MODELS
from stgcn_reg.utils.safe_pickle import UnsafePickleError

pytestmark = pytest.mark.slow


# -------------------------------------------- feeders (in-process, public)


def test_garbage_npy(tmp_path):
    _, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    data_path = tmp_path / 'garbage.npy'
    data_path.write_bytes(b'\x00\x01 not an array ' * 20)
    with left_unchanged(str(data_path), label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(str(data_path), label_path)
    assert f"data_path '{data_path}': not a .npy file" in str(error.value)


@pytest.mark.parametrize('mmap', [True, False])
def test_truncated_npy(tmp_path, mmap):
    data_path, label_path = write_pair(tmp_path, skeletons(4), [0, 1, 2, 3])
    content = open(data_path, 'rb').read()
    with open(data_path, 'wb') as file:
        file.write(content[:len(content) // 2])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, mmap=mmap)
    assert (f"data_path '{data_path}': not a readable numeric .npy array"
            in str(error.value))


def test_label_pickle_with_three_fields(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    write_label_pickle(label_path, (['a', 'b'], [0, 1], ['extra', 'field']))
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"label_path '{label_path}': expected a pickled "
            '(sample_names, labels) pair, got tuple of length 3'
            in str(error.value))


def test_labels_as_strings(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    write_label_pickle(label_path, (['a', 'b'], ['walk', 'run']))
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, num_classes=NUM_CLASSES)
    assert (f"label_path '{label_path}': label #0 is 'walk'; expected an "
            'integer class index' in str(error.value))


def test_negative_label(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(3), [0, -1, 2])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, num_classes=NUM_CLASSES)
    assert (f"label_path '{label_path}': label #1 is -1, outside [0, 8)"
            in str(error.value))


def test_nan_in_data(tmp_path):
    data = skeletons(4)
    data[2, 1, 5, 3, 0] = np.nan
    data_path, label_path = write_pair(tmp_path, data, [0, 1, 2, 3])
    with left_unchanged(data_path, label_path):
        dataset = SkeletonDataset(data_path, label_path)
        dataset[1]  # the clean samples load
        with pytest.raises(ValueError) as error:
            dataset[2]
    assert (f"data_path '{data_path}': sample #2 contains 1 non-finite "
            'values (NaN/inf, e.g. nan); expected finite coordinates'
            in str(error.value))


def test_empty_dataset(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(0), [])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"data_path '{data_path}': has 0 samples; expected at least one"
            in str(error.value))


def test_joint_count_not_matching_layout(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2, 18), [0, 1])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, layout='ntu-rgb+d')
    assert (f"data_path '{data_path}': has V=18 joints" in str(error.value))
    assert "graph layout 'ntu-rgb+d' has 25 joints" in str(error.value)


def test_four_dimensional_array(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2)[..., 0],
                                       [0, 1])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"data_path '{data_path}': expected a 5-D array (N, C, T, V, M), "
            'got shape (2, 3, 16, 25)' in str(error.value))


def test_label_count_not_sample_count(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(6), [0] * 5)
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"label_path '{label_path}' has 5 labels but data_path "
            f"'{data_path}' has 6 samples" in str(error.value))


def test_malicious_label_pickle_is_not_run(tmp_path):
    marker = tmp_path / 'pwned'
    data_path, label_path = write_pair(tmp_path, skeletons(1), [0])
    write_label_pickle(label_path, (['a'], [RunsCommand(marker)]))
    with left_unchanged(data_path, label_path):
        with pytest.raises(UnsafePickleError) as error:
            SkeletonDataset(data_path, label_path)
    assert not marker.exists()
    assert f"refusing to load '{label_path}'" in str(error.value)
    assert re.search(r"names '(posix|os)\.system'", str(error.value))


def test_missing_data_path(tmp_path):
    _, label_path = write_pair(tmp_path, skeletons(1), [0])
    missing = str(tmp_path / 'no_such_data.npy')
    with left_unchanged(label_path):
        with pytest.raises(FileNotFoundError) as error:
            SkeletonDataset(missing, label_path)
    assert f"data_path: skeleton file '{missing}' not found" in str(
        error.value)


def test_hdf5_with_mismatched_lengths(tmp_path):
    path = str(tmp_path / 'train.h5')
    with h5py.File(path, 'w') as file:
        file['data'] = skeletons(4)
        file['label'] = np.array([0, 1, 2])
        file['sample_name'] = np.array([b'a', b'b', b'c', b'd'])
    with left_unchanged(path):
        with pytest.raises(ValueError) as error:
            H5SkeletonDataset(path)
    assert (f"data_path '{path}': dataset 'label' has 3 entries but 'data' "
            'has 4 samples (axis 0)' in str(error.value))


def test_pose_annotation_with_three_dimensional_keypoint(tmp_path):
    path = write_label_pickle(
        tmp_path / 'poses.pkl',
        dict(split=dict(train=['clip0']),
             annotations=[
                 dict(frame_dir='clip0', label=0,
                      keypoint=np.zeros((16, 25, 3), np.float32))
             ]))
    with left_unchanged(path):
        with pytest.raises(ValueError) as error:
            PoseAnnotationDataset(path, split='train')
    assert (f"ann_file '{path}', annotation #0 (frame_dir 'clip0'): field "
            "'keypoint' must have shape (M, T, V, C)" in str(error.value))


# ------------------------------------------ checkpoints and configs (API)


def test_malicious_checkpoint_is_not_run(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': RunsCommand(marker)}, path)
    with left_unchanged(path):
        with pytest.raises(UnsafeCheckpointError) as error:
            load_checkpoint_file(path)
    assert not marker.exists()
    assert (f"checkpoint '{path}' refers to code outside the allowlist"
            in str(error.value))
    assert re.search(r'(posix|os)\.system', str(error.value))


def test_checkpoint_of_garbage_bytes(tmp_path):
    path = tmp_path / 'garbage.pth'
    path.write_bytes(b'\x00 garbage, not a checkpoint ' * 10)
    with left_unchanged(str(path)):
        with pytest.raises(ValueError) as error:
            load_checkpoint_file(str(path))
    # not reported as unsafe code: the bytes are no checkpoint at all
    assert (f"checkpoint '{path}' ({path.stat().st_size} bytes) is not a "
            'readable PyTorch checkpoint' in str(error.value))


def test_config_with_unknown_type(tmp_path):
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.merge_from_dict({'model.backbone.type': 'NoSuchNet'})
    with left_unchanged(DEMO_CONFIG):
        with pytest.raises(KeyError) as error:
            MODELS.build(cfg.model)
    assert 'NoSuchNet is not in the stgcn_reg::model registry' in str(
        error.value)
