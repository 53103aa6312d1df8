"""Tiny deterministic training runs for the resume and crash tests:
tools/train.py with dropout and augmentation, a killer module that
SIGKILLs a run at a chosen moment, readers of the results, and the
uninterrupted reference run (fixture ``straight``, once per session)."""
import json
import os
import os.path as osp
from pathlib import Path

import pytest
import torch
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    fresh_interpreters,
    made_once,
    run_tool,
    tool,
)

# a killer module loaded with custom_imports: SIGKILLs the run at a chosen
# training iteration, or while a chosen checkpoint is being written
KILLER = '''
import fnmatch
import os
import signal

from mmengine.hooks import Hook

from stgcn_reg.registry import HOOKS

_real_fsync = os.fsync
_real_remove = os.remove
_matches = []


def _fsync_or_die(fd):
    # KILL_WHILE_SAVING: a file name pattern; KILL_AT_MATCH: which write
    # of a matching file (1: the first) is killed before it completes
    target = os.environ.get('KILL_WHILE_SAVING', '')
    name = os.readlink(f'/proc/self/fd/{fd}').rsplit('/', 1)[-1]
    if target and fnmatch.fnmatch(name, '.' + target + '.tmp*'):
        _matches.append(name)
        if len(_matches) == int(os.environ.get('KILL_AT_MATCH', '1')):
            os.kill(os.getpid(), signal.SIGKILL)
    _real_fsync(fd)


def _remove_or_die(path, *args, **kwargs):
    if os.environ.get('KILL_BEFORE_REMOVING') == str(path).rsplit('/')[-1]:
        os.kill(os.getpid(), signal.SIGKILL)
    _real_remove(path, *args, **kwargs)


os.fsync = _fsync_or_die
os.remove = _remove_or_die


@HOOKS.register_module()
class KillAtIteration(Hook):

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        target = os.environ.get('KILL_AT', '')
        if target == f'{runner.epoch + 1}:{batch_idx + 1}':
            os.kill(os.getpid(), signal.SIGKILL)
'''


def train(work_dir, data, epochs, *extra, env=None, expect_rc=0):
    """Deterministic tiny training run with dropout and augmentation.

    At lr 0.5 the validation top-1 rises over the 4 epochs, so later
    epochs are new bests too (at the config's lr it stays at chance).
    """
    return run_tool(
        tool('train.py'), DEMO_CONFIG, '--work-dir', str(work_dir),
        '--device', 'cpu', '--epochs', str(epochs), '--batch-size', '8',
        '--seed', '3', '--deterministic', '--save-interval', '1',
        '--lr', '0.5',
        '--eval-interval', '1', *extra, '--cfg-options', *TINY_MODEL,
        'model.backbone.dropout=0.3', *data_options(data),
        cwd=str(work_dir.parent), expect_rc=expect_rc, extra_env=env)


def val_log(work_dir) -> dict:
    """Validation metrics and training losses per epoch, all runs."""
    metrics = {}
    for run in sorted(os.listdir(work_dir)):
        scalars = osp.join(work_dir, run, 'vis_data', 'scalars.json')
        if not osp.isfile(scalars):
            continue
        for line in open(scalars):
            entry = json.loads(line)
            key = ('val' if 'acc/top1' in entry else 'train', entry.get(
                'epoch'), entry.get('iter', entry.get('step')))
            metrics[key] = {k: v for k, v in entry.items()
                            if 'time' not in k and k != 'eta'}
    return metrics


def final_weights(work_dir, epoch=4) -> dict:
    return torch.load(osp.join(work_dir, f'epoch_{epoch}.pth'),
                      weights_only=False)['state_dict']


def assert_same_weights(first: dict, second: dict) -> None:
    assert first.keys() == second.keys()
    for key in first:
        assert torch.equal(first[key], second[key]), key


def train_with_killer(work_dir, data, epochs, env, expect_rc):
    """Train through a config that adds the killer module and hook."""
    folder = work_dir.parent
    (folder / 'killer.py').write_text(KILLER)
    config = folder / 'killer_config.py'
    config.write_text(
        f"_base_ = ['{DEMO_CONFIG}']\n"
        "custom_imports = dict(imports=['killer'], "
        "allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='DataModelCheckHook'), "
        "dict(type='NonFiniteLossHook'), dict(type='RandomStateHook'), "
        "dict(type='KillAtIteration')]\n")
    env = dict(env, PYTHONPATH=str(folder) + os.pathsep +
               os.environ.get('PYTHONPATH', ''))
    return run_tool(
        tool('train.py'), str(config), '--work-dir', str(work_dir),
        '--device', 'cpu', '--epochs', str(epochs), '--batch-size', '8',
        '--seed', '3', '--deterministic', '--save-interval', '1',
        '--lr', '0.5',
        '--eval-interval', '1', '--resume', '--cfg-options', *TINY_MODEL,
        'model.backbone.dropout=0.3', *data_options(data),
        cwd=str(folder), expect_rc=expect_rc, extra_env=env)


def best_files(work_dir) -> list:
    return sorted(n for n in os.listdir(work_dir) if n.startswith('best_'))


def val_scores(work_dir) -> dict:
    """Top-1 of each epoch's validation."""
    # validation entries count epochs in 'step'
    return {step: entry['acc/top1']
            for (kind, _, step), entry in val_log(work_dir).items()
            if kind == 'val'}


def first_later_best(scores: dict) -> int:
    """The first epoch after epoch 1 that is a new best."""
    best = scores[1]
    for epoch in sorted(scores)[1:]:
        if scores[epoch] > best:
            return epoch
        best = max(best, scores[epoch])
    pytest.fail(f'no new best after epoch 1 in {scores}')


@pytest.fixture(scope='module')
def straight(demo_data, tmp_path_factory):
    """The uninterrupted reference run (4 epochs), made once per test
    session for every file and xdist worker that asks (read-only)."""

    def make(folder):
        # in a process of its own (not a fork of the tool server, whose
        # children share one hash seed): the resumed runs must reproduce
        # it from another interpreter
        with fresh_interpreters():
            train(Path(folder) / 'work', demo_data, 4)

    return Path(made_once('straight', tmp_path_factory, make,
                          demo_data)) / 'work'
