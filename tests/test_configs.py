"""Every runnable config builds its model and datasets and runs forward."""
import glob
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.datasets.formats.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.registry import DATASETS, MODELS

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*.py')))
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def test_the_expected_configs_exist():
    names = {osp.basename(path) for path in CONFIGS}
    assert {'stgcn_ntu_xsub.py', 'stgcn_ntu_xview.py', 'stgcn_kinetics.py',
            'stgcn_demo.py', 'stgcn_ntu_xsub_h5.py',
            'stgcn_ntu60_xsub_pyskl3d.py'} <= names


def write_dataset_fixture(folder: str, dataset_cfg, data: np.ndarray,
                          labels: list) -> dict:
    """Write ``data`` in the format the config's feeder reads.

    Returns:
        dict: The dataset keys to override so that it reads the fixture.
    """
    kind = dataset_cfg.type
    data_path, label_path = write_skeleton_files(folder, 'x', data, labels)
    if kind == 'SkeletonDataset':
        assert {'data_path', 'label_path'} <= set(dataset_cfg)
        return dict(data_path=data_path, label_path=label_path)
    if kind == 'H5SkeletonDataset':
        assert 'data_path' in dataset_cfg
        h5_path = osp.join(folder, 'x.h5')
        convert_npy_to_h5(data_path, label_path, h5_path)
        return dict(data_path=h5_path)
    if kind == 'PoseAnnotationDataset':
        assert {'ann_file', 'split'} <= set(dataset_cfg)
        # MMAction2 / PYSKL clips: keypoint (M, T, V, C)
        annotations = [
            dict(frame_dir=f'sample{i:04d}', label=label,
                 keypoint=sample.transpose(3, 1, 2, 0),
                 total_frames=sample.shape[1], img_shape=(1080, 1920))
            for i, (sample, label) in enumerate(zip(data, labels))
        ]
        split = {dataset_cfg.split: [a['frame_dir'] for a in annotations]}
        ann_file = osp.join(folder, 'x_ann.pkl')
        with open(ann_file, 'wb') as file:
            pickle.dump(dict(split=split, annotations=annotations), file)
        return dict(ann_file=ann_file)
    raise AssertionError(f'no test fixture for dataset type {kind!r}')


@pytest.mark.parametrize('config_path', CONFIGS, ids=osp.basename)
def test_config_builds_and_runs(default_scope, tmp_path, config_path):
    cfg = Config.fromfile(config_path)
    assert cfg.default_scope == 'stgcn_reg'
    model = MODELS.build(cfg.model).eval()
    # a two-stream model's streams are built from one backbone config
    backbone = getattr(model, 'origin', model).backbone
    num_classes = cfg.model.cls_head.num_classes
    shape = (backbone.in_channels, 40, backbone.num_node, 2)
    with torch.no_grad():
        logits = model(torch.randn(2, *shape))
    assert logits.shape == (2, num_classes)

    rng = np.random.default_rng(0)
    data = rng.normal(size=(4, *shape)).astype(np.float32)
    labels = [0, num_classes - 1, 1, 2]
    for loader in LOADERS:
        dataset_cfg = cfg[loader].dataset
        paths = write_dataset_fixture(str(tmp_path), dataset_cfg, data,
                                      labels)
        dataset_cfg.update(paths, data_root=None)
        dataset = DATASETS.build(dataset_cfg)
        item = dataset[1]
        assert item['data_samples']['label'] == num_classes - 1
        assert item['inputs'].shape[0] == backbone.in_channels
        assert item['inputs'].shape[2] == backbone.num_node


def test_reference_hyperparameters():
    ntu = Config.fromfile(osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub.py'))
    assert ntu.optim_wrapper.optimizer == dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
    assert ntu.train_cfg.max_epochs == 80
    assert ntu.param_scheduler[0].milestones == [10, 50]
    assert ntu.train_dataloader.batch_size == 64
    assert ntu.model.backbone.dropout == 0.5
    kinetics = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py'))
    assert kinetics.train_cfg.max_epochs == 50
    assert kinetics.param_scheduler[0].milestones == [20, 30, 40, 50]
    assert kinetics.train_dataloader.batch_size == 256
    assert kinetics.model.cls_head.num_classes == 400
    assert kinetics.model.backbone.graph_cfg.layout == 'openpose'
    assert [t['type'] for t in kinetics.train_dataloader.dataset.pipeline
            ] == ['RandomChoose', 'RandomMove']
    assert kinetics.train_dataloader.dataset.pipeline[0].window_size == 150


@pytest.mark.parametrize(
    'name', ['stgcn_ntu_xsub_h5.py', 'stgcn_ntu60_xsub_pyskl3d.py'])
def test_storage_variants_keep_the_reference_recipe(name):
    reference = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub.py'))
    variant = Config.fromfile(osp.join(REPO_ROOT, 'configs', name))
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert variant[key] == reference[key]
    for loader in LOADERS:
        dataset = variant[loader].dataset
        assert variant[loader].batch_size == reference[loader].batch_size
        assert dataset.num_classes == 60
        assert dataset.layout == 'ntu-rgb+d'
        assert dataset.get('test_mode', False) == (
            loader != 'train_dataloader')
