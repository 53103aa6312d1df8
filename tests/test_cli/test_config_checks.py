"""Config checks: misspelt keys, hook arguments, binary files, data files."""
import glob
import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.hooks import EMAHook

from stgcn_reg.cli.config_checks import check_config, load_config
from stgcn_reg.cli.config_keys import misspelt_key_problems
from stgcn_reg.cli.data_file_checks import (
    data_file_problems,
    missing_file_problems,
)
from stgcn_reg.cli.hook_args import (
    accepted_arguments,
    hook_argument_problems,
)
from stgcn_reg.compat.yaml_migration import convert_stgcn_yaml
from stgcn_reg.engine.hooks import NonFiniteLossHook, SafeCheckpointHook

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'),
                           recursive=True))
DEMO = osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py')


def demo_config(**options) -> Config:
    cfg = load_config(DEMO)
    cfg.merge_from_dict(options)
    return cfg


@pytest.mark.parametrize('path', CONFIGS,
                         ids=lambda path: osp.relpath(path, REPO_ROOT))
def test_shipped_configs_pass(path):
    cfg = load_config(path)
    assert list(misspelt_key_problems(cfg)) == []
    assert list(hook_argument_problems(cfg)) == []


def test_misspelt_top_level_key_is_refused_with_a_suggestion():
    cfg = demo_config(**{'train_dataloder.batch_size': 4})
    with pytest.raises(ValueError) as error:
        check_config(cfg)
    message = str(error.value)
    assert message.startswith(f"config '{DEMO}' (including --cfg-options)")
    assert ("unknown top-level key 'train_dataloder', which mmengine would "
            "ignore; did you mean 'train_dataloader'?") in message
    assert '\n' not in message


@pytest.mark.parametrize('key', [
    'train_pipeline', 'val_pipeline', 'dataset_type', 'data_root',
    'num_classes', '_train_loader', 'my_constant', 'graph', 'work_dir',
    'model_wrapper_cfg', 'sync_bn', 'compile', 'custom_imports'
])
def test_helpers_and_known_keys_pass(key):
    assert list(misspelt_key_problems({key: 1})) == []


@pytest.mark.parametrize('key, meant', [
    ('default_hook', 'default_hooks'), ('custom_hook', 'custom_hooks'),
    ('optim_wraper', 'optim_wrapper'), ('val_evaluater', 'val_evaluator'),
    ('param_schedular', 'param_scheduler'), ('load_form', 'load_from'),
])
def test_typos_of_runner_keys_are_caught(key, meant):
    (problem, ) = misspelt_key_problems({key: 1})
    assert f"did you mean {meant!r}?" in problem


def test_misspelt_checkpoint_argument_fails_before_training():
    cfg = demo_config(**{'default_hooks.checkpoint.intervl': 1})
    with pytest.raises(ValueError) as error:
        check_config(cfg)
    assert ("default_hooks.checkpoint (SafeCheckpointHook) has no argument "
            "'intervl'; did you mean 'interval'?") in str(error.value)


def test_misspelt_custom_hook_argument_and_type():
    cfg = demo_config()
    cfg.custom_hooks = [
        dict(type='NonFiniteLossHook', intervall=2, priority='LOW'),
        dict(type='NonFiniteLosHook'),
        dict(type=NonFiniteLossHook, interval=2),
        dict(type='EMAHook', momentum=0.01),  # **kwargs: not checked
        dict(type='SomeoneElsesHook'),  # the Runner reports it
    ]
    problems = list(hook_argument_problems(cfg))
    assert problems == [
        "custom_hooks[0] (NonFiniteLossHook) has no argument 'intervall'; "
        "did you mean 'interval'? (it accepts interval)",
        "custom_hooks[1].type 'NonFiniteLosHook' is not a registered hook; "
        "did you mean 'NonFiniteLossHook'?",
    ]


def test_accepted_arguments_follow_kwargs_to_the_base_class():
    accepted = accepted_arguments(SafeCheckpointHook)
    assert {'interval', 'max_keep_ckpts', 'save_best', 'backend_args'} <= (
        accepted)
    assert accepted_arguments(EMAHook) is None


def test_foreign_scope_is_not_checked():
    cfg = dict(default_scope='mmaction',
               custom_hooks=[dict(type='NonFiniteLossHook', x=1)])
    assert list(hook_argument_problems(cfg)) == []


def test_binary_python_config_is_named(tmp_path):
    path = tmp_path / 'weights.py'
    path.write_bytes(b'\x89PNG\r\n\x1a\n\x00binary')
    with pytest.raises(ValueError) as error:
        load_config(str(path))
    assert str(error.value) == (
        f"config file '{path}' is not UTF-8 text (byte 0: invalid start "
        'byte); is it a binary file?')


def test_binary_yaml_config_is_named(tmp_path):
    path = tmp_path / 'train.yaml'
    path.write_bytes(b'PK\x03\x04\xff\xfe zip bytes')
    with pytest.raises(ValueError) as error:
        convert_stgcn_yaml(str(path))
    assert str(error.value).startswith(
        f"YAML config '{path}' is not UTF-8 text (byte 4:")
    nul = tmp_path / 'nul.yaml'
    nul.write_bytes(b'model: a\x00b\n')
    with pytest.raises(ValueError, match=f"YAML config '{nul}' holds NUL"):
        convert_stgcn_yaml(str(nul))


@pytest.mark.parametrize('data, message', [
    (np.zeros((2, 3, 0, 25, 2), np.float32), 'has T=0 frames'),
    (np.zeros((2, 3, 8, 25, 2), np.complex64), 'has complex dtype complex64'),
])
def test_unusable_npy_is_refused_before_the_runner(tmp_path, data, message):
    path = str(tmp_path / 'bad_data.npy')
    np.save(path, data)
    cfg = demo_config(**{'val_dataloader.dataset.data_path': path})
    with pytest.raises(ValueError) as error:
        check_config(cfg)
    assert (f"val_dataloader.dataset.data_path '{path}': {message}"
            in str(error.value))
    assert '\n' not in str(error.value)
    # testing reads only the test split; inference reads no data file
    assert list(data_file_problems(cfg, training=False)) == []
    check_config(cfg, training=True, data_files=False)


def test_data_root_and_wrapped_datasets(tmp_path):
    np.save(tmp_path / 'empty.npy', np.zeros((2, 3, 0, 25, 2), np.float32))
    cfg = dict(test_dataloader=dict(dataset=dict(
        type='ConcatDataset',
        datasets=[dict(data_root=str(tmp_path), data_path='empty.npy'),
                  dict(data_path=str(tmp_path / 'missing.npy'))])))
    (problem, ) = data_file_problems(cfg, training=False)
    assert problem.startswith(
        "test_dataloader.dataset.datasets[0].data_path "
        f"'{tmp_path / 'empty.npy'}': has T=0 frames")


def test_missing_files_of_the_loaders_the_run_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'there.pkl').touch()
    cfg = dict(
        train_cfg=dict(max_epochs=1), val_cfg=None, test_cfg=dict(),
        train_dataloader=dict(dataset=dict(
            type='RepeatDataset', times=2, dataset=dict(
                data_root='sub', data_path='x.npy',
                label_path=str(tmp_path / 'there.pkl')))),
        # validation is off (val_cfg None): its files are not needed
        val_dataloader=dict(dataset=dict(data_path='gone.npy')),
        test_dataloader=dict(dataset=dict(
            ann_file='s3://bucket/ann.pkl', data_path=str(tmp_path / 'y'))))
    (problem, ) = missing_file_problems(cfg, training=True)
    assert problem == (
        "dataset files not found: train_dataloader.dataset.dataset.data_path"
        f" 'sub/x.npy' (relative paths are from {tmp_path})")
    # a URL is left to its backend; an absolute path gets no cwd note
    (problem, ) = missing_file_problems(cfg, training=False)
    assert problem == ("dataset files not found: test_dataloader.dataset."
                       f"data_path '{tmp_path / 'y'}'")
    (tmp_path / 'y').touch()
    assert list(missing_file_problems(cfg, training=False)) == []
