"""Malformed input through ``tools/train.py`` and ``tools/test.py``: clear
errors, no harm.

Each case feeds one bad input to a tool and checks that

(a) it fails with a message naming the file and/or field and what was
    expected, and
(b) the input files, and the contents of a work dir left by an earlier
    good run, are byte-for-byte unchanged afterwards; that run's
    checkpoint still loads.

Every case that uses the good run's work dir (``work_dir``, trained once
per module) is in this file. The feeder, checkpoint and config cases are
in ``test_bad_inputs_in_process.py``, the gendata ones in
``test_bad_inputs_gendata.py``; the helpers in ``bad_input_helpers.py``.
"""
import os
import os.path as osp
import re
import shutil

import h5py
import numpy as np
import pytest
from bad_input_helpers import (
    DUMPED_CONFIG,
    NUM_CLASSES,
    WIDER_MODEL,
    digests,
    eval_args,
    fresh_dir,
    left_unchanged,
    skeletons,
    train_args,
    write_pair,
)
from tool_runner import DEMO_CONFIG, TINY_MODEL, data_options, run_tool, tool

pytestmark = pytest.mark.slow


# ------------------------------------------ the good run and its data


@pytest.fixture(scope='module')
def good_data(tmp_path_factory) -> str:
    """A valid tiny dataset: 16 training and 8 validation clips."""
    folder = tmp_path_factory.mktemp('good_data')
    for split, count, seed in (('train', 16, 0), ('val', 8, 1)):
        labels = [i % NUM_CLASSES for i in range(count)]
        write_pair(folder, skeletons(count, seed=seed), labels, split)
    return str(folder)


@pytest.fixture(scope='module')
def work_dir(good_data, tmp_path_factory) -> str:
    """The work dir of a good one-epoch run (epoch_1.pth, last_checkpoint)."""
    folder = str(tmp_path_factory.mktemp('work'))
    run_tool(*train_args(good_data, folder), cwd=folder)
    assert {'epoch_1.pth', 'last_checkpoint'} <= set(os.listdir(folder))
    return folder


# ---------------------------------------- tools/train.py, tools/test.py


def test_config_file_missing(good_data, work_dir, tmp_path):
    missing = str(tmp_path / 'no_such_config.py')
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(tool('train.py'), missing, '--work-dir', work_dir,
                          cwd=work_dir, expect_rc=1)
    assert f"error: config file '{missing}' not found" in output


def test_config_with_syntax_error(good_data, work_dir, tmp_path):
    config = tmp_path / 'broken.py'
    config.write_text(f"_base_ = ['{DEMO_CONFIG}']\n"
                      'model = dict(cls_head=dict(num_classes=8)\n')
    with left_unchanged(str(config), good_data, work_dir=work_dir):
        output = run_tool(tool('train.py'), str(config), '--work-dir',
                          work_dir, cwd=work_dir, expect_rc=1)
    assert f"error: config file '{config}', line 2: '(' was never closed" \
        in output


@pytest.mark.parametrize('option, message', [
    ('train_cfg.max_epochs=ten',
     "train_cfg.max_epochs is 'ten' (str); expected a positive integer"),
    ('model.backbone.channels=5',
     'model.backbone.channels is 5 (int); expected a non-empty list of '
     'positive integers'),
])
def test_config_value_of_the_wrong_type(good_data, work_dir, option,
                                        message):
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*train_args(good_data, work_dir, option),
                          cwd=work_dir, expect_rc=1)
    assert f"error: config '{DEMO_CONFIG}' (including --cfg-options)" \
        in output
    assert message in output
    assert 'Traceback' not in output


def test_batch_size_not_a_multiple_of_processes(good_data, work_dir):
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*train_args(good_data, work_dir), '--batch-size',
                          '3', cwd=work_dir, expect_rc=1,
                          extra_env=dict(WORLD_SIZE='2'))
    assert ('error: --batch-size 3 must be a positive multiple of the '
            'number of processes (2)' in output)


def test_num_classes_smaller_than_labels(good_data, work_dir, tmp_path):
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(
            *train_args(good_data, fresh_dir(tmp_path),
                        'model.cls_head.num_classes=4'),
            cwd=work_dir, expect_rc=1)
    assert 'DataModelMismatchError: data and model do not fit' in output
    assert (f"train_dataloader.dataset (data_path '{good_data}/"
            "train_data.npy') has labels up to 7 but "
            'model.cls_head.num_classes is 4; set it to at least 8' in output)


def test_in_channels_not_matching_data(good_data, work_dir, tmp_path):
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(
            *train_args(good_data, fresh_dir(tmp_path),
                        'model.backbone.in_channels=2'),
            cwd=work_dir, expect_rc=1)
    assert (f"train_dataloader.dataset (data_path '{good_data}/"
            "train_data.npy') has C=3 channels (sample shape (3, 16, 25, 2)) "
            'but model.backbone.in_channels is 2' in output)


def test_diverging_loss_stops_training(good_data, work_dir, tmp_path):
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*train_args(good_data, fresh_dir(tmp_path)),
                          '--lr', '1e30', cwd=work_dir, expect_rc=1)
    assert re.search(
        r'NonFiniteLossError: training loss became (nan|inf) at epoch 1, '
        r'iteration \d+', output)


def test_resume_with_another_model(good_data, work_dir):
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    # a failed resume leaves the work dir exactly as it was: no rewritten
    # config, no log folder of the failed attempt
    before, entries = digests(work_dir), sorted(os.listdir(work_dir))
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*train_args(good_data, work_dir, *WIDER_MODEL,
                                      'train_cfg.max_epochs=2'),
                          '--resume', cwd=work_dir, expect_rc=1)
    assert (f"CheckpointMismatchError: checkpoint '{checkpoint}' does not "
            'fit the model built from the config' in output)
    assert ('backbone.blocks.2.gcn.conv.weight: shape (48, 8, 1, 1) in the '
            'checkpoint, (96, 8, 1, 1) in the model' in output)
    assert digests(work_dir) == before
    assert sorted(os.listdir(work_dir)) == entries


def test_fresh_run_in_a_work_dir_holding_a_run(good_data, work_dir):
    with left_unchanged(good_data, work_dir=work_dir):
        before = digests(work_dir)
        output = run_tool(*train_args(good_data, work_dir), cwd=work_dir,
                          expect_rc=1)
        assert digests(work_dir) == before
    lines = [line for line in output.splitlines()
             if line.startswith('error:')]
    assert len(lines) == 1 and 'Traceback' not in output
    assert lines == [
        f"error: work dir '{work_dir}' already holds a run (config "
        f"{DUMPED_CONFIG}; checkpoints best_acc_top1_epoch_1.pth, "
        "epoch_1.pth; best score " + lines[0].split('best score ')[1]
    ]
    assert ' in best_acc_top1_epoch_1.pth); continue it' in lines[0]
    assert lines[0].endswith(
        '; continue it with --resume, start elsewhere with --work-dir, or '
        'replace it with --overwrite (its files are moved aside)')


def test_load_from_another_model(good_data, work_dir, tmp_path):
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*train_args(good_data, fresh_dir(tmp_path),
                                      *WIDER_MODEL),
                          '--load-from', checkpoint, cwd=work_dir,
                          expect_rc=1)
    assert (f"CheckpointMismatchError: checkpoint '{checkpoint}' does not "
            'fit the model built from the config' in output)


def test_test_tool_with_missing_checkpoint(good_data, work_dir, tmp_path):
    missing = str(tmp_path / 'no_such.pth')
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*eval_args(good_data, work_dir, missing),
                          cwd=work_dir, expect_rc=1)
    assert f"error: checkpoint '{missing}' not found" in output


def test_test_tool_with_truncated_checkpoint(good_data, work_dir, tmp_path):
    truncated = str(tmp_path / 'truncated.pth')
    shutil.copyfile(osp.join(work_dir, 'epoch_1.pth'), truncated)
    with open(truncated, 'r+b') as file:
        file.truncate(osp.getsize(truncated) // 2)
    with left_unchanged(truncated, good_data, work_dir=work_dir):
        output = run_tool(*eval_args(good_data, work_dir, truncated),
                          cwd=work_dir, expect_rc=1)
    assert f"checkpoint '{truncated}'" in output
    assert 'is not a readable PyTorch checkpoint' in output
    assert 'it may be truncated' in output


def test_test_tool_with_checkpoint_of_other_classes(good_data, work_dir):
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(
            *eval_args(good_data, work_dir, checkpoint,
                       'model.cls_head.num_classes=5'),
            cwd=work_dir, expect_rc=1)
    assert (f"checkpoint '{checkpoint}' does not fit the model built from "
            'the config (2 tensors differ)' in output)
    assert ('cls_head.fc.weight: shape (8, 16) in the checkpoint, (5, 16) '
            'in the model' in output)
    assert 'Test results' not in output


def test_hdf5_with_no_frames_through_train_is_one_line(good_data, tmp_path):
    path = str(tmp_path / 'train.h5')
    with h5py.File(path, 'w') as file:
        file['data'] = np.zeros((4, 3, 0, 25, 2), np.float32)
        file['label'] = np.array([0, 1, 2, 3])
        file['sample_name'] = np.array([b'a', b'b', b'c', b'd'])
    config = tmp_path / 'h5_config.py'
    config.write_text(
        f"_base_ = ['{DEMO_CONFIG}']\n"
        'train_dataloader = dict(dataset=dict(_delete_=True, '
        f"type='H5SkeletonDataset', data_path='{path}', num_classes=8))\n")
    with left_unchanged(path, good_data):
        output = run_tool(
            tool('train.py'), str(config), '--work-dir',
            str(tmp_path / 'work'), '--device', 'cpu', '--cfg-options',
            *TINY_MODEL, *data_options(good_data)[2:], cwd=str(tmp_path),
            expect_rc=1)
    assert 'Traceback' not in output
    [line] = [ln for ln in output.splitlines() if ln.startswith('error:')]
    assert path in line and 'T=0' in line, line


@pytest.mark.parametrize('tool_name', ['train.py', 'test.py'])
def test_missing_dataset_file_is_one_line(good_data, work_dir, tmp_path,
                                          tool_name):
    # e.g. the demo config run before tools/make_demo_data.py
    missing = str(tmp_path / 'no_such_data')
    work = str(tmp_path / 'work')
    args = (train_args(missing, work) if tool_name == 'train.py' else
            eval_args(missing, work, osp.join(work_dir, 'epoch_1.pth')))
    with left_unchanged(good_data, work_dir=work_dir):
        output = run_tool(*args, cwd=str(tmp_path), expect_rc=1)
    assert 'Traceback' not in output
    [line] = [ln for ln in output.splitlines() if ln.startswith('error:')]
    # every missing file of the loaders the run builds, with its config key
    loaders = ('train', 'val') if tool_name == 'train.py' else ('test', )
    files = {'data_path': 'data.npy', 'label_path': 'label.pkl'}
    named = [f"{loader}_dataloader.dataset.{key} "
             f"'{missing}/{'train' if loader == 'train' else 'val'}_{file}'"
             for loader in loaders for key, file in files.items()]
    assert line.endswith('dataset files not found: ' + ', '.join(named)), \
        line
    # refused before the Runner: no log folder, no dumped config
    assert not osp.exists(work) or (tool_name == 'test.py'
                                    and not os.listdir(work)), work
