"""Exact resume and crash safety, through tools/train.py on CPU."""
import json
import os
import os.path as osp
import signal

import pytest
import torch
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    make_demo_data,
    run_tool,
    tool,
)

pytestmark = pytest.mark.slow

# a killer module loaded with custom_imports: SIGKILLs the run at a chosen
# training iteration, or while a chosen checkpoint is being written
KILLER = '''
import os
import signal

from mmengine.hooks import Hook

from stgcn_reg.registry import HOOKS

_real_fsync = os.fsync


def _fsync_or_die(fd):
    target = os.environ.get('KILL_WHILE_SAVING', '')
    path = os.readlink(f'/proc/self/fd/{fd}')
    if target and osp_basename(path).startswith('.' + target + '.tmp'):
        os.kill(os.getpid(), signal.SIGKILL)
    _real_fsync(fd)


def osp_basename(path):
    return path.rsplit('/', 1)[-1]


os.fsync = _fsync_or_die


@HOOKS.register_module()
class KillAtIteration(Hook):

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        target = os.environ.get('KILL_AT', '')
        if target == f'{runner.epoch + 1}:{batch_idx + 1}':
            os.kill(os.getpid(), signal.SIGKILL)
'''


@pytest.fixture(scope='module')
def demo_data(tmp_path_factory) -> str:
    return make_demo_data(str(tmp_path_factory.mktemp('data')))


def train(work_dir, data, epochs, *extra, env=None, expect_rc=0):
    """Deterministic tiny training run with dropout and augmentation."""
    return run_tool(
        tool('train.py'), DEMO_CONFIG, '--work-dir', str(work_dir),
        '--device', 'cpu', '--epochs', str(epochs), '--batch-size', '8',
        '--seed', '3', '--deterministic', '--save-interval', '1',
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


@pytest.fixture(scope='module')
def straight(demo_data, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('straight') / 'work'
    train(work_dir, demo_data, 4)
    return work_dir


def test_resume_gives_the_same_weights_and_log(demo_data, straight,
                                               tmp_path):
    work_dir = tmp_path / 'work'
    train(work_dir, demo_data, 2)
    output = train(work_dir, demo_data, 4, '--resume')
    assert 'resumed epoch: 2' in output
    assert_same_weights(final_weights(straight), final_weights(work_dir))
    assert val_log(work_dir) == val_log(straight)


def test_resume_from_a_given_checkpoint(demo_data, straight, tmp_path):
    work_dir = tmp_path / 'work'
    train(work_dir, demo_data, 3)
    train(work_dir, demo_data, 4, '--resume',
          str(work_dir / 'epoch_2.pth'))
    assert_same_weights(final_weights(straight), final_weights(work_dir))


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
        '--eval-interval', '1', '--resume', '--cfg-options', *TINY_MODEL,
        'model.backbone.dropout=0.3', *data_options(data),
        cwd=str(folder), expect_rc=expect_rc, extra_env=env)


def test_kill_mid_epoch_then_resume(demo_data, straight, tmp_path):
    work_dir = tmp_path / 'work'
    train_with_killer(work_dir, demo_data, 4, dict(KILL_AT='3:2'),
                      expect_rc=-signal.SIGKILL)
    assert (work_dir / 'last_checkpoint').read_text().endswith(
        'epoch_2.pth')
    assert not (work_dir / 'epoch_3.pth').exists()
    output = train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert 'resumed epoch: 2' in output
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_kill_while_saving_keeps_the_previous_checkpoint(
        demo_data, straight, tmp_path):
    work_dir = tmp_path / 'work'
    train_with_killer(work_dir, demo_data, 4,
                      dict(KILL_WHILE_SAVING='epoch_3.pth'),
                      expect_rc=-signal.SIGKILL)
    names = os.listdir(work_dir)
    assert 'epoch_3.pth' not in names
    assert any(name.startswith('.epoch_3.pth.tmp') for name in names)
    last = (work_dir / 'last_checkpoint').read_text()
    assert last.endswith('epoch_2.pth')
    assert torch.load(last, weights_only=False)['meta']['epoch'] == 2
    output = train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert 'resumed epoch: 2' in output
    assert not any('.tmp' in name for name in os.listdir(work_dir))
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_max_keep_and_best_checkpoints(straight):
    names = sorted(os.listdir(straight))
    # max_keep_ckpts=2 in the demo config: the two latest epochs stay
    assert [n for n in names if n.startswith('epoch_')] == [
        'epoch_3.pth', 'epoch_4.pth'
    ]
    assert len([n for n in names if n.startswith('best_acc_top1')]) == 1
