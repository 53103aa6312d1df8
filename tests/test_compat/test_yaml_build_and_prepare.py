"""Original ST-GCN YAML configs converted to Python configs: the converted
configs build a model and feeders that run, their ``_base_`` paths, and
the converted file written into the work dir."""
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config
from stgcn_yaml import (
    CUSTOM,
    KINETICS_TRAIN,
    NTU_TEST,
    NTU_TRAIN,
    convert,
    write_yaml,
)

from stgcn_reg.compat.yaml_migration import (
    base_dir_for,
    convert_stgcn_yaml,
    is_yaml_config,
    prepare_yaml_config,
)
from stgcn_reg.registry import DATASETS, MODELS


def point_at(cfg: Config, folder: str) -> None:
    for loader, split in (('train_dataloader', 'train'),
                          ('val_dataloader', 'val'),
                          ('test_dataloader', 'val')):
        cfg[loader].dataset.data_path = osp.join(folder, f'{split}_data.npy')
        cfg[loader].dataset.label_path = osp.join(folder,
                                                  f'{split}_label.pkl')


@pytest.mark.parametrize('yaml_text,num_joints,num_classes', [
    (NTU_TRAIN.format(split='xsub'), 25, 60),
    (CUSTOM, 18, 10),
    (KINETICS_TRAIN.replace('net.st_gcn.Model', 'net.st_gcn_twostream.Model'),
     18, 400),
])
def test_converted_configs_build_and_run(tmp_path, default_scope, yaml_text,
                                         num_joints, num_classes):
    cfg, _, _ = convert(tmp_path, yaml_text)
    rng = np.random.default_rng(0)
    for split in ('train', 'val'):
        data = rng.normal(size=(4, 3, 16, num_joints, 2)).astype(np.float32)
        write_skeleton_files(str(tmp_path), split, data, [0, 1, 2, 3])
    point_at(cfg, str(tmp_path))
    model = MODELS.build(cfg.model)
    for loader in ('train_dataloader', 'test_dataloader'):
        dataset = DATASETS.build(cfg[loader].dataset)
        inputs = torch.stack([dataset[i]['inputs'] for i in range(2)])
        with torch.no_grad():
            assert model(inputs).shape == (2, num_classes)


def test_base_dir_is_relative_inside_configs(tmp_path):
    inside = osp.join(REPO_ROOT, 'configs', 'mine', 'x.py')
    assert base_dir_for(inside) == osp.join('..', '_base_')
    assert base_dir_for(str(tmp_path / 'x.py')) == osp.join(
        REPO_ROOT, 'configs', '_base_')
    text, _ = convert_stgcn_yaml(write_yaml(tmp_path, KINETICS_TRAIN),
                                 base_dir='_base_')
    assert "'_base_/datasets/kinetics.py'" in text
    assert REPO_ROOT not in text.split('_base_ =')[1]


def test_prepare_writes_the_config_into_the_work_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / 'ntu-xsub'
    folder.mkdir()
    yaml_path = write_yaml(folder, NTU_TEST, 'test.yaml')
    assert is_yaml_config(yaml_path) and not is_yaml_config('a.py')
    converted = prepare_yaml_config(yaml_path)
    assert converted.work_dir == osp.join('work_dirs', 'ntu-xsub_test')
    assert converted.config_path == osp.join(
        'work_dirs', 'ntu-xsub_test', 'from_yaml', 'test_converted.py')
    assert Config.fromfile(converted.config_path).load_from == (
        'models/st_gcn.ntu-xsub.pt')
    assert converted.phase == 'test' and converted.device is None
    assert converted.checkpoint == 'models/st_gcn.ntu-xsub.pt'
    assert 'converted from' in converted.message(yaml_path)

    custom = prepare_yaml_config(write_yaml(tmp_path, CUSTOM, 'mine.yml'))
    assert custom.work_dir == 'work_dir/my_actions'  # the YAML's own
    assert custom.device == 'cpu' and custom.phase == 'train'
    assert osp.isfile('work_dir/my_actions/from_yaml/mine_converted.py')
    chosen = prepare_yaml_config('mine.yml', work_dir='elsewhere')
    assert chosen.config_path == osp.join('elsewhere', 'from_yaml',
                                               'mine_converted.py')
