"""Exact resume through tools/train.py on CPU: after any epoch, after a
new best, in a moved work dir, from a given checkpoint."""
import os
import shutil

import pytest
from resume_runs import (
    assert_same_weights,
    best_files,
    final_weights,
    straight,  # noqa: F401 (a fixture)
    train,
    val_log,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def two_epochs(demo_data, tmp_path_factory) -> tuple:
    """A run stopped after 2 epochs and an untouched copy of its work dir
    (each resumed by one test)."""
    work_dir = tmp_path_factory.mktemp('two_epochs') / 'work'
    train(work_dir, demo_data, 2)
    copy = tmp_path_factory.mktemp('two_epochs_copy') / 'work'
    shutil.copytree(work_dir, copy)
    return work_dir, copy


def test_resume_gives_the_same_weights_and_log(demo_data, straight,
                                               two_epochs):
    work_dir = two_epochs[0]
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


def test_resume_from_a_given_checkpoint(demo_data, straight, two_epochs):
    # not the latest checkpoint of the work dir (epoch_2.pth is)
    work_dir = two_epochs[1]
    train(work_dir, demo_data, 4, '--resume',
          str(work_dir / 'epoch_1.pth'))
    assert_same_weights(final_weights(straight), final_weights(work_dir))


def test_max_keep_and_best_checkpoints(straight):
    names = sorted(os.listdir(straight))
    # max_keep_ckpts=2 in the demo config: the two latest epochs stay
    assert [n for n in names if n.startswith('epoch_')] == [
        'epoch_3.pth', 'epoch_4.pth'
    ]
    assert len([n for n in names if n.startswith('best_acc_top1')]) == 1
