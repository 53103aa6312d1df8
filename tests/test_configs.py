"""Every runnable config builds its model and datasets and runs forward."""
import glob
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.registry import DATASETS, MODELS

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*.py')))
# emotion models (heads and targets of their own): see the end of file
EMOTION_CONFIGS = [
    path for path in CONFIGS if osp.basename(path).startswith('stgcn_bold')
]
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def test_the_expected_configs_exist():
    names = {osp.basename(path) for path in CONFIGS}
    assert {'stgcn_ntu_xsub.py', 'stgcn_ntu_xview.py', 'stgcn_kinetics.py',
            'stgcn_demo.py', 'stgcn_ntu_xsub_h5.py',
            'stgcn_ntu60_xsub_pyskl3d.py', 'stgcn_ntu_xsub_u100.py',
            'stgcn_ntu_xsub_u100_bone.py',
            'stgcn_ntu_xsub_u100_joint_motion.py',
            'stgcn_ntu_xsub_u100_bone_motion.py', 'stgcn_ntu_xview_u100.py',
            'stgcn_ntu120_xsub120_u100.py', 'stgcn_ntu120_xset120_u100.py',
            'stgcnpp_ntu_xsub_joint.py', 'stgcnpp_ntu_xsub_bone.py'} <= names


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


@pytest.mark.parametrize(
    'config_path', sorted(set(CONFIGS) - set(EMOTION_CONFIGS)),
    ids=osp.basename)
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
        dataset_cfg = feeder_cfg = cfg[loader].dataset
        while feeder_cfg.type == 'RepeatDataset':  # e.g. the u100 recipe
            feeder_cfg = feeder_cfg.dataset
        paths = write_dataset_fixture(str(tmp_path), feeder_cfg, data,
                                      labels)
        feeder_cfg.update(paths, data_root=None)
        dataset = DATASETS.build(dataset_cfg)
        item = dataset[1]
        assert item['data_samples']['label'] == num_classes - 1
        # (C, T, V, M), or (num_clips, C, T, V, M) for multi-clip tests
        assert item['inputs'].shape[-4] == backbone.in_channels
        assert item['inputs'].shape[-2] == backbone.num_node


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


@pytest.mark.parametrize('config_path', EMOTION_CONFIGS, ids=osp.basename)
def test_emotion_config_builds_and_runs(default_scope, tmp_path,
                                        config_path):
    from mmengine.dataset import default_collate

    from stgcn_reg.datasets.readers.bold_labels import write_bold_labels
    from stgcn_reg.registry import METRICS
    cfg = Config.fromfile(config_path)
    assert cfg.default_scope == 'stgcn_reg'
    model = MODELS.build(cfg.model).eval()
    sizes = {name: (4, size) for name, size in (('category_head', 26),
                                                ('dimension_head', 3))
             if cfg.model.get(name)}
    rng = np.random.default_rng(0)
    data = rng.normal(size=(4, 3, 40, 18, 1)).astype(np.float32)
    np.save(tmp_path / 'x_data.npy', data)
    write_bold_labels(str(tmp_path / 'x_label.pkl'), list('abcd'),
                      [[0.0] * 26, [1.0] * 26, [0.6] * 26, [0.2] * 26],
                      rng.uniform(1, 10, (4, 3)))
    for loader in LOADERS:
        dataset_cfg = cfg[loader].dataset
        dataset_cfg.update(data_path=str(tmp_path / 'x_data.npy'),
                           label_path=str(tmp_path / 'x_label.pkl'),
                           data_root=None)
        dataset = DATASETS.build(dataset_cfg)
        assert dataset[1]['data_samples']['categories'].tolist() == [1] * 26
    batch = default_collate([dataset[i] for i in range(4)])
    with torch.no_grad():
        outputs = model(batch['inputs'])
        predictions = model(batch['inputs'], batch['data_samples'],
                            mode='predict')
    assert {k: tuple(v.shape) for k, v in outputs.items()} == sizes
    metric = METRICS.build(cfg.val_evaluator)
    metric.process(batch, predictions)
    metrics = metric.evaluate(4)
    assert cfg.default_hooks.checkpoint.save_best in metrics


def test_the_emotion_configs_exist():
    assert {osp.basename(path) for path in EMOTION_CONFIGS} >= {
        'stgcn_bold_categorical.py', 'stgcn_bold_continuous.py',
        'stgcn_bold_joint.py', 'stgcn_bold_fixture.py'}
    base = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'bold.py'))
    assert base.train_dataloader.dataset.layout == 'openpose'
