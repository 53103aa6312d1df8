"""Dataset configs: one shared loader definition, pipelines from slots."""
import glob
import os.path as osp

import pytest
from conftest import REPO_ROOT
from mmengine.config import Config

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*.py')) +
                 glob.glob(osp.join(REPO_ROOT, 'configs', '_base_',
                                    'datasets', '[!_]*.py')))
SPLITS = ('train', 'val', 'test')


def feeder(cfg: Config, split: str):
    dataset = cfg[f'{split}_dataloader'].dataset
    return dataset.dataset if dataset.type == 'RepeatDataset' else dataset


@pytest.mark.parametrize('path', CONFIGS,
                         ids=lambda path: osp.relpath(path, REPO_ROOT))
def test_pipelines_are_the_slots_in_order(path):
    cfg = Config.fromfile(path)
    for split in SPLITS:
        expected = cfg.normalize + cfg.features + cfg[f'{split}_sample']
        if split == 'train':
            expected += cfg.augment
        assert feeder(cfg, split).pipeline == expected


@pytest.mark.parametrize('path', CONFIGS,
                         ids=lambda path: osp.relpath(path, REPO_ROOT))
def test_loaders_share_the_base_definition(path):
    cfg = Config.fromfile(path)
    for split in SPLITS:
        loader = cfg[f'{split}_dataloader']
        assert loader.collate_fn == dict(type='default_collate')
        assert loader.sampler == dict(type='DefaultSampler',
                                      shuffle=split == 'train')
        assert feeder(cfg, split).get('test_mode', False) == (
            split != 'train')


def test_a_derived_config_replaces_one_slot():
    joint = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub_u100.py'))
    bone = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub_u100_bone.py'))
    assert joint.features == [
        dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j'])]
    assert bone.features == [
        dict(type='GenSkeFeat', dataset='nturgb+d', feats=['b'])]
    for key in ('normalize', 'train_sample', 'val_sample', 'test_sample',
                'augment'):
        assert bone[key] == joint[key]
