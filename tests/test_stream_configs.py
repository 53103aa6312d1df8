"""The NTU-60 xsub stream configs differ from the joint recipe only in
their feature transforms, in every dataloader."""

import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.datasets.transforms import JointToBone, ToMotion
from stgcn_reg.registry import DATASETS

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
STREAMS = {
    'joint': [],
    'bone': ['JointToBone'],
    'joint_motion': ['ToMotion'],
    'bone_motion': ['JointToBone', 'ToMotion'],
}


def load(name: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, 'configs', name))


@pytest.mark.parametrize('stream', list(STREAMS))
def test_stream_keeps_the_reference_recipe(stream):
    reference = load('stgcn_ntu_xsub.py')
    variant = load(f'stgcn_ntu_xsub_{stream}.py')
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert variant[key] == reference[key]
    for loader in LOADERS:
        dataset = variant[loader].dataset
        expected = reference[loader].dataset
        for key in ('data_path', 'label_path', 'layout', 'num_classes'):
            assert dataset[key] == expected[key]
        assert dataset.get('test_mode', False) == (
            loader != 'train_dataloader'
        )
        assert [t['type'] for t in dataset.pipeline] == STREAMS[stream]
        if 'JointToBone' in STREAMS[stream]:
            assert dataset.pipeline[0]['layout'] == 'ntu-rgb+d'


def test_bone_motion_items_are_motion_of_bones(default_scope, tmp_path):
    cfg = load('stgcn_ntu_xsub_bone_motion.py')
    rng = np.random.default_rng(0)
    data = rng.normal(size=(2, 3, 6, 25, 2)).astype(np.float32)
    data[:, :, 4:] = 0  # zero padding after 4 frames
    data_path, label_path = write_skeleton_files(
        str(tmp_path), 'x', data, [0, 1]
    )
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.update(data_path=data_path, label_path=label_path)
    item = DATASETS.build(dataset_cfg)[1]['inputs'].numpy()
    bone = JointToBone('ntu-rgb+d')(dict(keypoint=data[1]))
    expected = ToMotion()(bone)['keypoint']
    np.testing.assert_array_equal(item, expected)
    assert expected[:, :3].any() and not expected[:, 3:].any()
