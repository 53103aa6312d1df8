"""Kill -9 at every dangerous moment of a run, then resume: nothing lost,
the same weights as an uninterrupted run."""
import os
import signal

import pytest
import torch
from resume_runs import (
    assert_same_weights,
    best_files,
    final_weights,
    first_later_best,
    straight,  # noqa: F401 (a fixture)
    train_with_killer,
    val_scores,
)

pytestmark = pytest.mark.slow


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
