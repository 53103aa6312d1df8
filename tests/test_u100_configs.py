"""The PYSKL-practice (u100) and ST-GCN++ configs carry the published
recipe, and their variants differ only where they should."""
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.dataset import default_collate

from stgcn_reg.registry import DATASETS, MODELS

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
STREAMS = {  # config: GenSkeFeat feats (PYSKL's streams)
    'stgcn_ntu_xsub_u100.py': ['j'],
    'stgcn_ntu_xsub_u100_bone.py': ['b'],
    'stgcn_ntu_xsub_u100_joint_motion.py': ['jm'],
    'stgcn_ntu_xsub_u100_bone_motion.py': ['bm'],
    'stgcnpp_ntu_xsub_joint.py': ['j'],
    'stgcnpp_ntu_xsub_bone.py': ['b'],
}
VARIANTS = {  # config: (ann_file, split prefix, classes)
    'stgcn_ntu_xsub_u100.py': ('ntu60_3danno.pkl', 'xsub', 60),
    'stgcn_ntu_xview_u100.py': ('ntu60_3danno.pkl', 'xview', 60),
    'stgcn_ntu120_xsub120_u100.py': ('ntu120_3danno.pkl', 'xsub', 120),
    'stgcn_ntu120_xset120_u100.py': ('ntu120_3danno.pkl', 'xset', 120),
    'stgcnpp_ntu_xsub_joint.py': ('ntu60_3danno.pkl', 'xsub', 60),
}


def load(name: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, 'configs', name))


def feeder(cfg: Config, loader: str):
    dataset = cfg[loader].dataset
    return dataset.dataset if dataset.type == 'RepeatDataset' else dataset


@pytest.mark.parametrize('name', ['stgcn_ntu_xsub_u100.py',
                                  'stgcnpp_ntu_xsub_joint.py'])
def test_pyskl_practice_recipe(name):
    cfg = load(name)
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    assert cfg.param_scheduler == [
        dict(type='CosineAnnealingLR', eta_min=0, T_max=16, by_epoch=True,
             convert_to_iter_based=True)
    ]
    assert cfg.train_cfg.max_epochs == 16
    assert cfg.train_dataloader.dataset.type == 'RepeatDataset'
    assert cfg.train_dataloader.dataset.times == 5
    assert cfg.train_dataloader.batch_size == 16
    assert cfg.auto_scale_lr.base_batch_size == 16 * 8
    samplers = {loader: feeder(cfg, loader).pipeline[-1]
                for loader in LOADERS}
    assert samplers['train_dataloader'] == dict(
        type='UniformSampleFrames', clip_len=100, sampling='pyskl')
    assert samplers['val_dataloader'] == dict(
        type='UniformSampleFrames', clip_len=100, num_clips=1,
        test_mode=True, sampling='pyskl')
    assert samplers['test_dataloader'] == dict(
        type='UniformSampleFrames', clip_len=100, num_clips=10,
        test_mode=True, sampling='pyskl')
    for loader in LOADERS:
        assert feeder(cfg, loader).pipeline[0] == dict(type='PreNormalize3D')
        assert feeder(cfg, loader).get('num_frames') is None  # full clips


def test_models_of_the_recipe():
    stgcn = load('stgcn_ntu_xsub_u100.py').model
    assert stgcn.backbone.type == 'STGCN' and stgcn.backbone.dropout == 0
    assert stgcn.backbone.edge_importance_weighting
    assert stgcn.train_clips == 'single'  # PYSKL: one training clip
    assert stgcn.backbone.graph_cfg == dict(
        type='Graph', layout='nturgb+d', mode='stgcn_spatial')
    stgcnpp = load('stgcnpp_ntu_xsub_joint.py').model
    assert stgcnpp.backbone.type == 'STGCNPP'
    assert stgcnpp.backbone.graph_cfg.mode == 'spatial'  # PYSKL's graph
    for model in (stgcn, stgcnpp):
        assert model.get('average_clips', 'prob') == 'prob'


@pytest.mark.parametrize('name', list(STREAMS))
def test_streams_differ_in_features_only(name):
    joint = load('stgcnpp_ntu_xsub_joint.py' if name.startswith('stgcnpp')
                 else 'stgcn_ntu_xsub_u100.py')
    cfg = load(name)
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert cfg[key] == joint[key]
    for loader in LOADERS:
        pipeline = feeder(cfg, loader).pipeline
        reference = feeder(joint, loader).pipeline
        # features sit between PreNormalize3D and the sampling
        assert pipeline[0] == reference[0]
        assert pipeline[-1] == reference[-1]
        assert pipeline[1:-1] == [
            dict(type='GenSkeFeat', dataset='nturgb+d',
                 feats=STREAMS[name])]
        for key in ('ann_file', 'split', 'num_classes', 'layout'):
            assert feeder(cfg, loader)[key] == feeder(joint, loader)[key]


@pytest.mark.parametrize('name', list(VARIANTS))
def test_dataset_variants(name):
    ann_file, prefix, classes = VARIANTS[name]
    cfg = load(name)
    assert cfg.model.cls_head.num_classes == classes
    splits = {'train_dataloader': f'{prefix}_train',
              'val_dataloader': f'{prefix}_val',
              'test_dataloader': f'{prefix}_val'}
    for loader, split in splits.items():
        dataset = feeder(cfg, loader)
        assert dataset.ann_file == f'data/skeleton/{ann_file}'
        assert dataset.split == split
        assert dataset.num_classes == classes
        assert dataset.get('test_mode', False) == (
            loader != 'train_dataloader')


def test_variable_length_clips_batch_and_predict(default_scope, tmp_path):
    """Clips of 9 to 60 frames, one or two persons, leading/trailing empty
    frames: the test pipeline gives 10 clips of 100 frames each, they
    batch, and the recognizer returns one averaged score per sample."""
    rng = np.random.default_rng(0)
    annotations = []
    for i, length in enumerate([9, 23, 60]):
        keypoint = rng.normal(size=(2, length + 4, 25, 3)).astype(np.float32)
        keypoint[:, :2] = 0  # empty frames before ...
        keypoint[:, -2:] = 0  # ... and after
        if i == 0:
            keypoint[1] = 0  # one person only
        annotations.append(dict(frame_dir=f'S{i:03d}', label=i,
                                keypoint=keypoint,
                                total_frames=length + 4))
    ann_file = str(tmp_path / 'ann.pkl')
    with open(ann_file, 'wb') as file:
        pickle.dump(dict(split=dict(xsub_val=['S000', 'S001', 'S002']),
                         annotations=annotations), file)
    cfg = load('stgcn_ntu_xsub_u100.py')
    cfg.test_dataloader.dataset.ann_file = ann_file
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    items = [dataset[i] for i in range(3)]
    for item in items:
        assert item['inputs'].shape == (10, 3, 100, 25, 2)
        assert torch.isfinite(item['inputs']).all()
    # the same sample twice gives the same clips (seeded test draw)
    torch.testing.assert_close(dataset[1]['inputs'], items[1]['inputs'])
    batch = default_collate(items)
    assert batch['inputs'].shape == (3, 10, 3, 100, 25, 2)
    cfg.model.backbone.update(channels=[8, 16], strides=[1, 2])
    cfg.model.cls_head.in_channels = 16
    model = MODELS.build(cfg.model).eval()
    with torch.no_grad():
        results = model(batch['inputs'], batch['data_samples'], 'predict')
    assert [r['sample_name'] for r in results] == ['S000', 'S001', 'S002']
    assert all(r['scores'].shape == (60, ) for r in results)
    assert all(np.isclose(float(r['scores'].exp().sum()), 1.0, atol=1e-5)
               for r in results)
