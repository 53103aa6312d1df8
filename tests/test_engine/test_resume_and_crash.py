"""Exact resume and crash safety, through tools/train.py on CPU."""
import json
import os
import os.path as osp
import shutil
import signal

import pytest
import torch
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    fresh_interpreters,
    run_tool,
    tool,
)

pytestmark = pytest.mark.slow

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


@pytest.fixture(scope='module')
def straight(demo_data, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('straight') / 'work'
    # the reference in a process of its own (not a fork of the tool
    # server, whose children share one hash seed): the resumed runs must
    # reproduce it from another interpreter
    with fresh_interpreters():
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


def test_resume_after_a_new_best_in_a_moved_work_dir(demo_data, straight,
                                                    tmp_path):
    # the first validation is always a new best: mmengine saves epoch_1.pth
    # again after it, which must still hold the training random state
    first = tmp_path / 'first'
    output = train(first, demo_data, 1)
    assert 'The best checkpoint with' in output
    work_dir = tmp_path / 'moved'
    shutil.move(str(first), str(work_dir))
    output = train(work_dir, demo_data, 4, '--resume')
    assert 'resumed epoch: 1' in output
    assert_same_weights(final_weights(straight), final_weights(work_dir))
    assert val_log(work_dir) == val_log(straight)
    assert best_files(work_dir) == best_files(straight)


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
        '--lr', '0.5',
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
    # named relative to the work dir, so a moved work dir resumes
    last = (work_dir / 'last_checkpoint').read_text()
    assert last == 'epoch_2.pth'
    assert torch.load(work_dir / last,
                      weights_only=False)['meta']['epoch'] == 2
    output = train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert 'resumed epoch: 2' in output
    assert not any('.tmp' in name for name in os.listdir(work_dir))
    assert_same_weights(final_weights(straight), final_weights(work_dir))


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


def test_kill_while_a_best_is_written_keeps_the_previous_best(
        demo_data, straight, tmp_path):
    scores = val_scores(straight)
    epoch = first_later_best(scores)
    previous = max((e for e in scores if e < epoch),
                   key=lambda e: (scores[e], -e))
    work_dir = tmp_path / 'work'
    train_with_killer(
        work_dir, demo_data, 4,
        dict(KILL_WHILE_SAVING=f'best_acc_top1_epoch_{epoch}.pth'),
        expect_rc=-signal.SIGKILL)
    # the new best was not complete: the previous one is still there
    assert best_files(work_dir) == [f'best_acc_top1_epoch_{previous}.pth']
    torch.load(work_dir / best_files(work_dir)[0], weights_only=False)
    output = train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert f'resumed epoch: {epoch}' in output
    assert_same_weights(final_weights(straight), final_weights(work_dir))
    # epoch's validation was lost with the kill; the resumed run keeps the
    # previous best's score, so only a better later epoch replaces it
    kept = max([previous] + [e for e in scores if e > epoch],
               key=lambda e: (scores[e], -e))
    assert best_files(work_dir) == [f'best_acc_top1_epoch_{kept}.pth']


def test_kill_after_a_best_is_written_keeps_it(demo_data, straight,
                                               tmp_path):
    epoch = first_later_best(val_scores(straight))
    work_dir = tmp_path / 'work'
    # the second write of epoch_N.pth: after the new best file is complete,
    # before the epoch checkpoint records it and the old best is removed
    train_with_killer(
        work_dir, demo_data, 4,
        dict(KILL_WHILE_SAVING=f'epoch_{epoch}.pth', KILL_AT_MATCH='2'),
        expect_rc=-signal.SIGKILL)
    assert len(best_files(work_dir)) == 2
    output = train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert 'written by an interrupted run; it stays the best' in output
    assert best_files(work_dir) == best_files(straight)
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_kill_while_last_checkpoint_is_written(demo_data, straight,
                                               tmp_path):
    work_dir = tmp_path / 'work'
    train_with_killer(
        work_dir, demo_data, 4,
        dict(KILL_WHILE_SAVING='last_checkpoint', KILL_AT_MATCH='3'),
        expect_rc=-signal.SIGKILL)
    assert any(name.startswith('.last_checkpoint.tmp')
               for name in os.listdir(work_dir))
    train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    assert not any('.tmp' in name for name in os.listdir(work_dir))
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_kill_before_the_oldest_checkpoint_is_removed(demo_data, straight,
                                                       tmp_path):
    work_dir = tmp_path / 'work'
    train_with_killer(work_dir, demo_data, 4,
                      dict(KILL_BEFORE_REMOVING='epoch_1.pth'),
                      expect_rc=-signal.SIGKILL)
    assert (work_dir / 'last_checkpoint').read_text() == 'epoch_3.pth'
    assert (work_dir / 'epoch_1.pth').exists()
    train_with_killer(work_dir, demo_data, 4, {}, expect_rc=0)
    # max_keep_ckpts=2 holds again after the resume
    assert sorted(n for n in os.listdir(work_dir)
                  if n.startswith('epoch_')) == ['epoch_3.pth', 'epoch_4.pth']
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_max_keep_and_best_checkpoints(straight):
    names = sorted(os.listdir(straight))
    # max_keep_ckpts=2 in the demo config: the two latest epochs stay
    assert [n for n in names if n.startswith('epoch_')] == [
        'epoch_3.pth', 'epoch_4.pth'
    ]
    assert len([n for n in names if n.startswith('best_acc_top1')]) == 1
