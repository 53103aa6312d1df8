"""MMAction2 1.2.0's ST-GCN / ST-GCN++ configs convert onto our bases:
the same model size as MMAction2 builds, the same schedule, pipelines,
data and batches; parts we lack fail in one line."""
import os
import os.path as osp
from typing import Any, Dict, Tuple

import pytest
from conftest import REPO_ROOT
from mmaction_configs import (
    AGCN,
    JOINT_3D,
    NUM_CONFIGS,
    POSEC3D,
    gcn_configs,
    skeleton_dir,
)
from mmengine.config import Config
from mmengine.registry import DefaultScope

from stgcn_reg.compat.mmaction_config import (
    MissingMMActionParts,
    convert_mmaction_config,
    is_mmaction_config,
    prepare_mmaction_config,
)
from stgcn_reg.compat.yaml_migration import base_dir_for
from stgcn_reg.registry import MODELS

FEEDER_STEPS = ('PoseDecode', 'FormatGCNInput', 'PackActionInputs')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def config_names() -> list:
    """Names under configs/skeleton/, listed without importing MMAction2."""
    try:
        folder = skeleton_dir()
        return [osp.relpath(path, folder) for path in gcn_configs()]
    except pytest.skip.Exception:
        return ['<MMAction2 not installed>']


NAMES = config_names()


@pytest.fixture(scope='module')
def converted() -> Dict[str, Tuple[Config, str, list, Config]]:
    """Every config once: (MMAction2's, our text, notes, ours loaded)."""
    folder = skeleton_dir()
    out = {}
    for path in gcn_configs():
        text, notes = convert_mmaction_config(path)
        out[osp.relpath(path, folder)] = (
            Config.fromfile(path), text, notes,
            Config.fromstring(text, '.py'))
    return out


def count(model: Any) -> int:
    return sum(param.numel() for param in model.parameters())


@pytest.fixture(scope='module')
def mmaction_count():
    """Parameters of the model MMAction2 builds from a model config."""
    from mmaction_reference import import_mmaction
    import_mmaction()
    from mmaction.registry import MODELS as MMACTION_MODELS
    cache: Dict[str, int] = {}

    def build(model_cfg: Config) -> int:
        key = repr(model_cfg)
        if key not in cache:
            with DefaultScope.overwrite_default_scope('mmaction'):
                cache[key] = count(MMACTION_MODELS.build(model_cfg))
        return cache[key]

    return build


def feeder(dataset: Any) -> Any:
    return dataset.dataset if dataset.type == 'RepeatDataset' else dataset


def test_every_config_is_found(converted):
    assert len(converted) == NUM_CONFIGS == len(NAMES)


@pytest.mark.parametrize('name', NAMES)
def test_model_has_mmaction_parameter_count(converted, mmaction_count,
                                            name):
    src, _, _, cfg = converted[name]
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        ours = MODELS.build(cfg.model)
    assert cfg.model.backbone.type == (
        'STGCNPP' if name.startswith('stgcnpp/') else 'STGCN')
    assert count(ours) == mmaction_count(src.model)


@pytest.mark.parametrize('name', NAMES)
def test_schedule_and_batches_are_kept(converted, name):
    src, _, _, cfg = converted[name]
    train_cfg = {k: v for k, v in src.train_cfg.items() if k != 'val_begin'}
    assert cfg.train_cfg == train_cfg and src.train_cfg.val_begin == 1
    assert cfg.param_scheduler == src.param_scheduler
    assert cfg.optim_wrapper == dict(type='OptimWrapper',
                                     **src.optim_wrapper)
    assert cfg.auto_scale_lr == src.auto_scale_lr
    assert cfg.default_scope == 'stgcn_reg'
    hooks = cfg.default_hooks
    assert hooks.checkpoint.interval == src.default_hooks.checkpoint.interval
    assert hooks.checkpoint.max_keep_ckpts == -1  # mmengine's default
    assert hooks.logger.interval == src.default_hooks.logger.interval
    for loader in LOADERS:
        for key in ('batch_size', 'num_workers', 'persistent_workers',
                    'sampler'):
            assert cfg[loader][key] == src[loader][key], (loader, key)
    assert cfg.train_dataloader.dataset.times == (
        src.train_dataloader.dataset.times)
    for key in ('val_evaluator', 'test_evaluator'):
        assert cfg[key] == dict(type='Accuracy', topk=(1, 5))


@pytest.mark.parametrize('name', NAMES)
def test_data_and_pipelines_are_kept(converted, name):
    src, _, _, cfg = converted[name]
    for loader in LOADERS:
        theirs, ours = feeder(src[loader].dataset), feeder(cfg[loader].dataset)
        assert ours.type == 'PoseAnnotationDataset'
        assert (ours.ann_file, ours.split) == (theirs.ann_file, theirs.split)
        assert ours.get('test_mode', False) == theirs.get('test_mode', False)
        assert ours.num_classes == src.model.cls_head.num_classes
        assert ours.layout == src.model.backbone.graph_cfg.layout
        steps = [step for step in theirs.pipeline
                 if step.type not in FEEDER_STEPS]
        assert ours.pipeline == steps, loader
        persons = [step.num_person for step in theirs.pipeline
                   if step.type == 'FormatGCNInput']
        assert [ours.max_persons] == persons


@pytest.mark.parametrize('name', NAMES)
def test_text_states_only_differences_and_lists_the_notes(converted, name):
    _, text, notes, _ = converted[name]
    header, body = text.split('_base_ = ', 1)
    assert f'Converted from {skeleton_dir()}' in header.replace('\n# ', ' ')
    assert notes and '# Conversion notes:' in header
    for note in notes:
        assert note.split()[0] in header
    assert any('weight init' in note for note in notes)
    # the base's own values are not repeated
    assert 'optim_wrapper' not in body and 'param_scheduler' not in body
    assert 'auto_scale_lr' not in body


def test_parts_we_lack_fail_in_one_line():
    folder = skeleton_dir()
    with pytest.raises(MissingMMActionParts) as error:
        convert_mmaction_config(osp.join(folder, POSEC3D))
    message = str(error.value)
    assert '\n' not in message and POSEC3D.split('/')[1] in message
    for part in ('Recognizer3D', 'ResNet3dSlowOnly', 'GeneratePoseTarget',
                 'PoseCompact'):
        assert part in message
    with pytest.raises(MissingMMActionParts, match='backbone AAGCN'):
        convert_mmaction_config(osp.join(folder, AGCN))


def write_child(tmp_path, text: str) -> str:
    """An MMAction2-style config inheriting the joint 3-D ST-GCN one."""
    path = str(tmp_path / 'child.py')
    with open(path, 'w') as file:
        file.write(f'_base_ = {osp.join(skeleton_dir(), JOINT_3D)!r}\n'
                   + text)
    return path


def test_base_chain_and_stage_arguments(tmp_path, mmaction_count):
    path = write_child(tmp_path, (
        "model = dict(backbone=dict(base_channels=32, num_stages=6, "
        "inflate_stages=[4], down_stages=[4], tcn_dropout=0.1), "
        "cls_head=dict(in_channels=64, dropout=0.3, average_clips='score'))"
        "\ntrain_dataloader = dict(batch_size=4)\n"))
    text, _ = convert_mmaction_config(path)
    cfg = Config.fromstring(text, '.py')
    backbone = cfg.model.backbone
    assert backbone.channels == [32, 32, 32, 64, 64, 64]
    assert backbone.strides == [1, 1, 1, 2, 1, 1]
    assert backbone.dropout == 0.1 and cfg.model.cls_head.dropout == 0.3
    assert cfg.model.average_clips == 'score'
    assert cfg.train_dataloader.batch_size == 4
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        ours = MODELS.build(cfg.model)
    assert count(ours) == mmaction_count(Config.fromfile(path).model)


@pytest.mark.parametrize('text, part', [
    ("model = dict(backbone=dict(gcn_adaptive='offset'))\n",
     "gcn_adaptive='offset'"),
    ("model = dict(backbone=dict(data_bn_type='MVC'))\n",
     "data_bn_type='MVC'"),
    ("model = dict(backbone=dict(graph_cfg=dict(layout='handmp')))\n",
     'handmp'),
    ("train_dataloader = dict(dataset=dict(dataset=dict(valid_ratio=0.5)))"
     "\n", 'valid_ratio'),
    ("val_evaluator = [dict(type='ConfusionMatrix')]\n", 'ConfusionMatrix'),
    ("custom_hooks = [dict(type='OutputHook')]\n", 'OutputHook'),
])
def test_unsupported_values_are_named(tmp_path, text, part):
    with pytest.raises(MissingMMActionParts, match=part) as error:
        convert_mmaction_config(write_child(tmp_path, text))
    assert '\n' not in str(error.value)


def test_stdout_text_loads_anywhere_and_relative_inside_configs(tmp_path):
    path = osp.join(skeleton_dir(), JOINT_3D)
    absolute, _ = convert_mmaction_config(path)
    anywhere = tmp_path / 'any' / 'where.py'
    anywhere.parent.mkdir()
    anywhere.write_text(absolute)
    cfg = Config.fromfile(str(anywhere))
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        MODELS.build(cfg.model)
    # a file in configs/mine/ names ../_base_; try it in a copy whose
    # _base_ is this checkout's
    inside = osp.join(REPO_ROOT, 'configs', 'mine', 'x.py')
    relative, _ = convert_mmaction_config(path, base_dir_for(inside))
    assert "'../_base_/models/stgcn.py'" in relative
    assert REPO_ROOT not in relative.split('_base_ =')[1]
    configs = tmp_path / 'configs'
    (configs / 'mine').mkdir(parents=True)
    os.symlink(osp.join(REPO_ROOT, 'configs', '_base_'), configs / '_base_')
    (configs / 'mine' / 'x.py').write_text(relative)
    assert Config.fromfile(str(configs / 'mine' / 'x.py')).model == (
        cfg.model)


def test_detection_and_work_dir(tmp_path, monkeypatch):
    path = osp.join(skeleton_dir(), JOINT_3D)
    assert is_mmaction_config(path)
    assert not is_mmaction_config(osp.join(REPO_ROOT, 'configs',
                                           'stgcn_ntu_xsub_u100.py'))
    assert not is_mmaction_config('train.yaml')
    monkeypatch.chdir(tmp_path)
    stem = osp.splitext(osp.basename(path))[0]
    prepared = prepare_mmaction_config(path)
    assert prepared.work_dir == osp.join('work_dirs', stem)
    assert prepared.config_path == osp.join(
        'work_dirs', stem, 'from_mmaction', osp.basename(path))
    assert Config.fromfile(prepared.config_path).default_scope == (
        'stgcn_reg')
    assert prepared.message(path).startswith(
        f'Note: converted the MMAction2 config {path} to ')
    chosen = prepare_mmaction_config(path, work_dir='elsewhere')
    assert osp.isfile(osp.join('elsewhere', 'from_mmaction',
                               osp.basename(path)))
    assert chosen.report == prepared.report


def test_runtime_values_are_carried(tmp_path):
    path = write_child(tmp_path, (
        "default_hooks = dict(sync_buffers=None, logger=dict(interval=7), "
        "checkpoint=dict(save_best=None, max_keep_ckpts=2))\n"
        "custom_hooks = [dict(type='EMAHook')]\n"
        "vis_backends = [dict(type='TensorboardVisBackend')]\n"
        "visualizer = dict(vis_backends=vis_backends)\n"
        "randomness = dict(seed=3)\nwork_dir = 'runs/x'\n"))
    cfg = Config.fromstring(convert_mmaction_config(path)[0], '.py')
    hooks = cfg.default_hooks
    assert hooks.sync_norm_stats is None and hooks.logger.interval == 7
    assert hooks.checkpoint == dict(
        type='SafeCheckpointHook', interval=1, max_keep_ckpts=2,
        save_best=None, rule=None)
    assert cfg.custom_hooks[-1] == dict(type='EMAHook')
    assert len(cfg.custom_hooks) > 1  # our checks stay
    assert cfg.visualizer == dict(
        type='LazyFigureVisualizer',
        vis_backends=[dict(type='TensorboardVisBackend')])
    assert cfg.randomness == dict(seed=3) and cfg.work_dir == 'runs/x'
