"""Original ST-GCN YAML configs converted to Python configs: the reference
recipes (NTU-RGB+D, Kinetics; train and test) give the reference configs.

Unknown and left-out keys: ``test_yaml_unknown_keys.py``; the converted
configs built and run, and their files: ``test_yaml_build_and_prepare.py``;
the YAML texts: ``tests/stgcn_yaml.py``.
"""
import textwrap

from stgcn_yaml import (
    KINETICS_TRAIN,
    NTU_TEST,
    NTU_TRAIN,
    convert,
    model_yaml,
    pipeline_types,
)


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
        """) + model_yaml(400, 'openpose') + textwrap.dedent("""\
        phase: test
        device: 0
        test_batch_size: 64
        """)
    cfg, _, _ = convert(tmp_path, text, 'test.yaml')
    assert cfg.load_from == 'models/st_gcn.kinetics.pt'
    assert cfg.test_dataloader.dataset.layout == 'openpose'
    assert cfg.test_dataloader.batch_size == 64


def test_two_stream_model_maps_to_the_two_stream_recognizer(tmp_path):
    text = KINETICS_TRAIN.replace('net.st_gcn.Model',
                                  'net.st_gcn_twostream.Model')
    cfg, _, report = convert(tmp_path, text)
    assert cfg.model.type == 'TwoStreamRecognizer'
    assert cfg.model.backbone.graph_cfg.layout == 'openpose'
    assert cfg.model.cls_head.num_classes == 400
    assert not any('model' in line for line in report)
