"""Original ST-GCN YAML configs converted to Python configs: keys the
converter does not know are reported, left-out keys take the original's
defaults, and YAML that is no config is refused with its file's name."""
import textwrap

import pytest
from stgcn_yaml import CUSTOM, NTU_TRAIN, convert, pipeline_types, write_yaml

from stgcn_reg.compat.yaml_migration import convert_stgcn_yaml


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
