"""Every runnable config builds its model and datasets and runs forward."""
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.registry import DATASETS, MODELS

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*.py')))
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def test_the_expected_configs_exist():
    names = {osp.basename(path) for path in CONFIGS}
    assert {'stgcn_ntu_xsub.py', 'stgcn_ntu_xview.py', 'stgcn_kinetics.py',
            'stgcn_demo.py'} <= names


@pytest.mark.parametrize('config_path', CONFIGS, ids=osp.basename)
def test_config_builds_and_runs(default_scope, tmp_path, config_path):
    cfg = Config.fromfile(config_path)
    assert cfg.default_scope == 'stgcn_reg'
    model = MODELS.build(cfg.model).eval()
    backbone = model.backbone
    num_classes = cfg.model.cls_head.num_classes
    shape = (backbone.in_channels, 40, backbone.num_node, 2)
    with torch.no_grad():
        logits = model(torch.randn(2, *shape))
    assert logits.shape == (2, num_classes)

    rng = np.random.default_rng(0)
    data = rng.normal(size=(4, *shape)).astype(np.float32)
    labels = [0, num_classes - 1, 1, 2]
    data_path, label_path = write_skeleton_files(str(tmp_path), 'x', data,
                                                 labels)
    for loader in LOADERS:
        dataset_cfg = cfg[loader].dataset
        assert {'data_path', 'label_path'} <= set(dataset_cfg)
        dataset_cfg.update(data_path=data_path, label_path=label_path,
                           data_root=None)
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
