"""Original ST-GCN YAML configs converted to Python configs."""
import os.path as osp
import textwrap

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.compat.yaml_migration import (
    base_dir_for,
    convert_stgcn_yaml,
    is_yaml_config,
    prepare_yaml_config,
)
from stgcn_reg.registry import DATASETS, MODELS

# written like config/st_gcn/<dataset>/{train,test}.yaml of the original
NTU_TRAIN = """\
work_dir: ./work_dir/recognition/ntu-{split}/ST_GCN

# feeder
feeder: feeder.feeder.Feeder
train_feeder_args:
  data_path: ./data/NTU-RGB-D/{split}/train_data.npy
  label_path: ./data/NTU-RGB-D/{split}/train_label.pkl
test_feeder_args:
  data_path: ./data/NTU-RGB-D/{split}/val_data.npy
  label_path: ./data/NTU-RGB-D/{split}/val_label.pkl

# model
model: net.st_gcn.Model
model_args:
  in_channels: 3
  num_class: 60
  dropout: 0.5
  edge_importance_weighting: True
  graph_args:
    layout: 'ntu-rgb+d'
    strategy: 'spatial'

#optim
weight_decay: 0.0001
base_lr: 0.1
step: [10, 50]

# training
device: [0,1,2,3]
batch_size: 64
test_batch_size: 64
num_epoch: 80
"""
NTU_TEST = """\
weights: ./models/st_gcn.ntu-xsub.pt

# feeder
feeder: feeder.feeder.Feeder
test_feeder_args:
  data_path: ./data/NTU-RGB-D/xsub/val_data.npy
  label_path: ./data/NTU-RGB-D/xsub/val_label.pkl

# model
model: net.st_gcn.Model
model_args:
  in_channels: 3
  num_class: 60
  dropout: 0.5
  edge_importance_weighting: True
  graph_args:
    layout: 'ntu-rgb+d'
    strategy: 'spatial'

# test
phase: test
device: 0
test_batch_size: 64
"""
KINETICS_TRAIN = """\
work_dir: ./work_dir/recognition/kinetics_skeleton/ST_GCN

# feeder
feeder: feeder.feeder.Feeder
train_feeder_args:
  random_choose: True
  random_move: True
  window_size: 150
  data_path: ./data/Kinetics/kinetics-skeleton/train_data.npy
  label_path: ./data/Kinetics/kinetics-skeleton/train_label.pkl
test_feeder_args:
  data_path: ./data/Kinetics/kinetics-skeleton/val_data.npy
  label_path: ./data/Kinetics/kinetics-skeleton/val_label.pkl

# model
model: net.st_gcn.Model
model_args:
  in_channels: 3
  num_class: 400
  edge_importance_weighting: True
  graph_args:
    layout: 'openpose'
    strategy: 'spatial'

# training
device: [0,1,2,3]
batch_size: 256
test_batch_size: 256

#optim
base_lr: 0.1
step: [20, 30, 40, 50]
num_epoch: 50
"""
# a user's own 18-joint dataset, trained on a CPU with Adam
CUSTOM = """\
work_dir: ./work_dir/my_actions
feeder: feeder.feeder.Feeder
train_feeder_args:
  data_path: ./my_data/train_data.npy
  label_path: ./my_data/train_label.pkl
  random_shift: True
  window_size: 64
  random_move: True
  normalization: True
  shuffle_persons: True
test_feeder_args:
  data_path: my_data/val_data.npy
  label_path: my_data/val_label.pkl
  debug: True
model: net.st_gcn.Model
model_args:
  in_channels: 3
  num_class: 10
  dropout: 0.2
  edge_importance_weighting: False
  graph_args:
    layout: 'openpose'
    strategy: 'distance'
    max_hop: 2
use_gpu: False
optimizer: Adam
base_lr: 0.001
weight_decay: 0.0005
step: [5]
num_epoch: 12
batch_size: 8
test_batch_size: 4
num_worker: 0
save_interval: 2
eval_interval: 1
log_interval: 10
show_topk: [1, 3]
ignore_weights: ['fcn']
mixup_alpha: 0.2
"""


def write_yaml(folder, text: str, name: str = 'train.yaml') -> str:
    path = osp.join(str(folder), name)
    with open(path, 'w') as file:
        file.write(text)
    return path


def convert(folder, text: str, name: str = 'train.yaml'):
    """Converted config (loaded by mmengine), its text and the report."""
    text_out, report = convert_stgcn_yaml(write_yaml(folder, text, name))
    return Config.fromstring(text_out, '.py'), text_out, report


def pipeline_types(cfg: Config, loader: str) -> list:
    return [step['type'] for step in cfg[loader].dataset.pipeline]


def test_ntu_xsub_train_matches_the_reference_config(tmp_path):
    cfg, text, report = convert(tmp_path, NTU_TRAIN.format(split='xsub'))
    assert 'datasets/ntu_xsub.py' in text and 'schedules/sgd_80e.py' in text
    # the reference YAML is the reference recipe: only runtime values differ
    assert 'model =' not in text and 'optim_wrapper' not in text
    assert cfg.optim_wrapper.optimizer.lr == 0.1
    assert cfg.optim_wrapper.optimizer.nesterov is True
    assert cfg.optim_wrapper.optimizer.weight_decay == 1e-4
    assert cfg.param_scheduler[0].milestones == [10, 50]
    assert cfg.train_cfg.max_epochs == 80
    # total batch 64 over the YAML's 4 GPUs -> 16 per process
    assert cfg.train_dataloader.batch_size == 16
    assert cfg.test_dataloader.batch_size == 16
    assert '# batch per process: the YAML total 64 over 4 GPUs' in text
    assert cfg.auto_scale_lr.base_batch_size == 64
    assert cfg.train_dataloader.dataset.data_path == (
        'data/NTU-RGB-D/xsub/train_data.npy')
    assert cfg.test_dataloader.dataset.label_path == (
        'data/NTU-RGB-D/xsub/val_label.pkl')
    assert cfg.model.backbone.dropout == 0.5
    assert cfg.model.backbone.graph_cfg.layout == 'ntu-rgb+d'
    assert cfg.model.cls_head.num_classes == 60
    assert pipeline_types(cfg, 'train_dataloader') == []
    assert cfg.work_dir == 'work_dir/recognition/ntu-xsub/ST_GCN'
    assert any('dist_train.sh CONFIG 4' in line for line in report)
    assert not any('unknown' in line for line in report)


def test_ntu_xview_train_uses_the_xview_base(tmp_path):
    cfg, text, _ = convert(tmp_path, NTU_TRAIN.format(split='xview'))
    assert 'datasets/ntu_xview.py' in text and 'ntu_xsub' not in text
    assert cfg.train_dataloader.dataset.data_path == (
        'data/NTU-RGB-D/xview/train_data.npy')
    assert cfg.test_dataloader.dataset.data_path == (
        'data/NTU-RGB-D/xview/val_data.npy')


def test_ntu_test_yaml_loads_its_weights(tmp_path):
    cfg, text, report = convert(tmp_path, NTU_TEST, 'test.yaml')
    assert cfg.load_from == 'models/st_gcn.ntu-xsub.pt'
    assert cfg.test_dataloader.batch_size == 64
    # no training keys: the base schedule stays as it is
    assert cfg.optim_wrapper.optimizer.lr == 0.1
    assert 'optim_wrapper' not in text and 'train_cfg' not in text
    assert any('tools/test.py' in line for line in report)


def test_kinetics_train_gets_window_and_move(tmp_path):
    cfg, text, _ = convert(tmp_path, KINETICS_TRAIN)
    assert 'datasets/kinetics.py' in text and 'schedules/sgd_50e.py' in text
    assert pipeline_types(cfg, 'train_dataloader') == [
        'RandomChoose', 'RandomMove'
    ]
    assert cfg.train_dataloader.dataset.pipeline[0].window_size == 150
    assert pipeline_types(cfg, 'test_dataloader') == []
    assert cfg.model.cls_head.num_classes == 400
    assert cfg.model.backbone.graph_cfg.layout == 'openpose'
    # the YAML sets no dropout: the original model had none
    assert cfg.model.backbone.dropout == 0.0
    assert cfg.param_scheduler[0].milestones == [20, 30, 40, 50]
    assert cfg.train_cfg.max_epochs == 50
    assert cfg.train_dataloader.batch_size == 64
    assert cfg.auto_scale_lr.base_batch_size == 256


def test_kinetics_test_yaml(tmp_path):
    text = textwrap.dedent("""\
        weights: ./models/st_gcn.kinetics.pt
        feeder: feeder.feeder.Feeder
        test_feeder_args:
          data_path: ./data/Kinetics/kinetics-skeleton/val_data.npy
          label_path: ./data/Kinetics/kinetics-skeleton/val_label.pkl
        model: net.st_gcn.Model
        model_args:
          in_channels: 3
          num_class: 400
          edge_importance_weighting: True
          graph_args:
            layout: 'openpose'
            strategy: 'spatial'
        phase: test
        device: 0
        test_batch_size: 64
        """)
    cfg, _, _ = convert(tmp_path, text, 'test.yaml')
    assert cfg.load_from == 'models/st_gcn.kinetics.pt'
    assert cfg.test_dataloader.dataset.layout == 'openpose'
    assert cfg.test_dataloader.batch_size == 64


def test_custom_cpu_dataset_with_adam_and_unknown_keys(tmp_path,
                                                       monkeypatch):
    # a short path, so that the first line holds the source file's name
    # whatever the temporary folder (longer under pytest-xdist)
    monkeypatch.chdir(tmp_path)
    cfg, text, report = convert('.', CUSTOM)
    assert 'datasets/kinetics.py' in text  # 18 OpenPose joints
    train = cfg.train_dataloader
    assert train.dataset.data_path == 'my_data/train_data.npy'
    assert cfg.val_dataloader.dataset.data_path == 'my_data/val_data.npy'
    assert train.dataset.num_classes == 10
    assert cfg.test_dataloader.dataset.num_classes == 10
    assert train.batch_size == 8 and cfg.test_dataloader.batch_size == 4
    assert train.num_workers == 0 and train.persistent_workers is False
    assert pipeline_types(cfg, 'train_dataloader') == [
        'RandomShift', 'AutoPad', 'RandomMove'
    ]
    assert pipeline_types(cfg, 'val_dataloader') == []
    assert cfg.test_dataloader.dataset.indices == 100  # feeder debug
    assert cfg.optim_wrapper.optimizer == dict(type='Adam', lr=0.001,
                                               weight_decay=0.0005)
    assert cfg.param_scheduler[0].milestones == [5]
    assert cfg.train_cfg.max_epochs == 12 and cfg.train_cfg.val_interval == 1
    assert cfg.default_hooks.checkpoint.interval == 2
    assert cfg.default_hooks.logger.interval == 10
    assert list(cfg.test_evaluator.topk) == [1, 3]
    backbone = cfg.model.backbone
    assert backbone.graph_cfg == dict(type='Graph', layout='openpose',
                                      strategy='distance', max_hop=2)
    assert backbone.edge_importance_weighting is False
    assert backbone.dropout == 0.2
    assert cfg.model.cls_head.num_classes == 10
    assert cfg.work_dir == 'work_dir/my_actions'
    expected = [
        "unknown key 'mixup_alpha' (value 0.2) was not converted",
        'unknown key train_feeder_args.shuffle_persons (value True) was '
        'not converted',
    ]
    for line in expected:
        assert line in report
    assert any(line.startswith('use_gpu: False') for line in report)
    assert any('normalization is not converted' in line for line in report)
    assert any('AutoPad' in line for line in report)
    assert any(line.startswith('ignore_weights') for line in report)
    # every note is in the file too
    assert "# - unknown key 'mixup_alpha' (value 0.2) was not" in text
    assert all(len(line) <= 79 for line in text.splitlines()[1:])


def test_left_out_keys_take_the_original_defaults(tmp_path):
    text = textwrap.dedent("""\
        train_feeder_args:
          data_path: ./x/train_data.npy
          label_path: ./x/train_label.pkl
        model: net.st_gcn.Model
        model_args:
          in_channels: 3
          num_class: 60
          edge_importance_weighting: True
          graph_args:
            layout: 'ntu-rgb+d'
        """)
    cfg, _, _ = convert(tmp_path, text)
    assert cfg.optim_wrapper.optimizer.lr == 0.01
    assert cfg.param_scheduler[0].milestones == []
    assert cfg.train_dataloader.batch_size == 256
    assert cfg.model.backbone.graph_cfg.strategy == 'uniform'
    assert cfg.model.backbone.dropout == 0.0


def test_nested_unknown_keys_and_unknown_parts_are_reported(tmp_path):
    text = NTU_TRAIN.format(split='xsub').replace(
        "strategy: 'spatial'", "strategy: 'spatial'\n    exotic: 3").replace(
            'feeder: feeder.feeder.Feeder', 'feeder: my.Feeder').replace(
                'optim\n', 'optim\noptimizer: RMSprop\n').replace(
                    'batch_size: 64', 'batch_size: 66')
    cfg, text, report = convert(tmp_path, text)
    assert cfg.train_dataloader.batch_size == 16
    assert 'total 66 over 4 GPUs, rounded down' in text
    assert ('unknown key model_args.graph_args.exotic (value 3) was not '
            'converted') in report
    assert any("feeder 'my.Feeder' is not known" in line for line in report)
    assert any("optimizer 'RMSprop'" in line for line in report)
    assert cfg.optim_wrapper.optimizer.type == 'SGD'


def test_two_stream_model_maps_to_the_two_stream_recognizer(tmp_path):
    text = KINETICS_TRAIN.replace('net.st_gcn.Model',
                                  'net.st_gcn_twostream.Model')
    cfg, _, report = convert(tmp_path, text)
    assert cfg.model.type == 'TwoStreamRecognizer'
    assert cfg.model.backbone.graph_cfg.layout == 'openpose'
    assert cfg.model.cls_head.num_classes == 400
    assert not any('model' in line for line in report)


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


@pytest.mark.parametrize('text,message', [
    ('- a\n- b\n', 'expected a mapping'),
    ('model: [unclosed\n', 'not valid YAML'),
    ('batch_size: 6.5\n', 'batch_size must be an integer, got 6.5'),
])
def test_bad_yaml_is_refused_with_its_name(tmp_path, text, message):
    path = write_yaml(tmp_path, text, 'bad.yaml')
    with pytest.raises(ValueError, match=message):
        convert_stgcn_yaml(path)
    with pytest.raises(FileNotFoundError, match='not found'):
        convert_stgcn_yaml(str(tmp_path / 'missing.yaml'))
