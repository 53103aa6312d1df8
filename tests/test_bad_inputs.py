"""Malformed input through the public entry points: clear errors, no harm.

Each case feeds one bad input to a tool (``tools/train.py``,
``tools/test.py``, the gendata tools) or to a public API (the feeders,
``load_checkpoint_file``, config building) and checks that

(a) it fails with a message naming the file and/or field and what was
    expected, and
(b) the input files, and the contents of a work dir left by an earlier
    good run, are byte-for-byte unchanged afterwards; that run's
    checkpoint still loads.
"""
import contextlib
import hashlib
import os
import os.path as osp
import pickle
import re
import shutil
from typing import Dict, Iterator, List, Optional

import h5py
import numpy as np
import pytest
import torch
from conftest import write_skeleton_files
from mmengine.config import Config
from tool_runner import DEMO_CONFIG, TINY_MODEL, data_options, run_tool, tool

from stgcn_reg.checkpoints import UnsafeCheckpointError, load_checkpoint_file
from stgcn_reg.datasets import (
    H5SkeletonDataset,
    PoseAnnotationDataset,
    SkeletonDataset,
)
from stgcn_reg.datasets.converters.ntu_gendata import generate_ntu
from stgcn_reg.registry import MODELS
from stgcn_reg.utils.safe_pickle import UnsafePickleError

pytestmark = pytest.mark.slow

NUM_CLASSES = 8  # the demo config's
# mmengine's Runner writes a timestamped log folder per run ...
RUN_FOLDER = re.compile(r'\d{8}_\d{6}')
# ... and rewrites the resolved config at every start (a good --resume
# does too), so that one file of the work dir may change
DUMPED_CONFIG = osp.basename(DEMO_CONFIG)


# ---------------------------------------------------------------- helpers


def sha256(path: str) -> str:
    with open(path, 'rb') as file:
        return hashlib.sha256(file.read()).hexdigest()


def digests(root: str) -> Dict[str, str]:
    """sha256 of ``root`` (a file) or of every file under it."""
    if osp.isfile(root):
        return {root: sha256(root)}
    return {
        osp.relpath(osp.join(folder, name), root):
        sha256(osp.join(folder, name))
        for folder, _, names in os.walk(root) for name in names
    }


def check_work_dir(work_dir: str, before: Dict[str, str],
                   entries_before: List[str]) -> None:
    """Every earlier file is unchanged; only new run folders were added."""
    after = digests(work_dir)
    for name, digest in before.items():
        if name != DUMPED_CONFIG:
            assert after.get(name) == digest, f'{name} changed or was removed'
    assert DUMPED_CONFIG in after
    added = set(os.listdir(work_dir)) - set(entries_before)
    assert all(RUN_FOLDER.fullmatch(name) for name in added), added
    for name in set(after) - set(before):
        assert name.split(os.sep)[0] in added, f'{name} was added'
    checkpoint = load_checkpoint_file(osp.join(work_dir, 'epoch_1.pth'))
    assert checkpoint['meta']['epoch'] == 1
    assert 'cls_head.fc.weight' in checkpoint['state_dict']


@contextlib.contextmanager
def left_unchanged(*paths: str,
                   work_dir: Optional[str] = None) -> Iterator[None]:
    """Assert that ``paths`` and ``work_dir``'s old contents survive."""
    before = {path: digests(path) for path in paths}
    assert all(before.values()), 'nothing to compare'
    work_before = digests(work_dir) if work_dir else {}
    entries_before = os.listdir(work_dir) if work_dir else []
    yield
    for path in paths:
        assert digests(path) == before[path], f'{path} was modified'
    if work_dir:
        check_work_dir(work_dir, work_before, entries_before)


def skeletons(num_samples: int, num_joints: int = 25, num_frames: int = 16,
              seed: int = 0) -> np.ndarray:
    """Random ``(N, 3, T, V, 2)`` float32 skeletons."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(num_samples, 3, num_frames, num_joints,
                            2)).astype(np.float32)


def write_pair(folder, data, labels, prefix: str = 'bad') -> tuple:
    """``<prefix>_data.npy`` + ``<prefix>_label.pkl``; return their paths."""
    return write_skeleton_files(str(folder), prefix, data, labels)


def write_label_pickle(path, content) -> str:
    with open(path, 'wb') as file:
        pickle.dump(content, file)
    return str(path)


class RunsCommand:
    """Pickles as a call of ``os.system``: loading it would run a command."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


# --------------------------------------------------------- shared set-up


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


def train_args(data: str, work: str, *options: str) -> List[str]:
    """tools/train.py on the tiny demo model; ``options`` are appended to
    ``--cfg-options`` (later keys win)."""
    return [
        tool('train.py'), DEMO_CONFIG, '--work-dir', work, '--device', 'cpu',
        '--batch-size', '8', '--cfg-options', 'train_cfg.max_epochs=1',
        *TINY_MODEL, *data_options(data), *options
    ]


def eval_args(data: str, work: str, checkpoint: str,
              *options: str) -> List[str]:
    """tools/test.py on the tiny demo model."""
    return [
        tool('test.py'), DEMO_CONFIG, checkpoint, '--work-dir', work,
        '--device', 'cpu', '--cfg-options', *TINY_MODEL,
        *data_options(data), *options
    ]


def fresh_dir(tmp_path) -> str:
    """An empty work dir: a fresh run into the good run's one is refused
    before the model and data are checked."""
    return str(tmp_path / 'fresh')


# channels of another model than the one in the work dir
WIDER_MODEL = [
    'model.backbone.channels=[8,8,32,32]', 'model.cls_head.in_channels=32'
]


# -------------------------------------------- feeders (in-process, public)


def test_garbage_npy(tmp_path):
    _, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    data_path = tmp_path / 'garbage.npy'
    data_path.write_bytes(b'\x00\x01 not an array ' * 20)
    with left_unchanged(str(data_path), label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(str(data_path), label_path)
    assert f"data_path '{data_path}': not a .npy file" in str(error.value)


@pytest.mark.parametrize('mmap', [True, False])
def test_truncated_npy(tmp_path, mmap):
    data_path, label_path = write_pair(tmp_path, skeletons(4), [0, 1, 2, 3])
    content = open(data_path, 'rb').read()
    with open(data_path, 'wb') as file:
        file.write(content[:len(content) // 2])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, mmap=mmap)
    assert (f"data_path '{data_path}': not a readable numeric .npy array"
            in str(error.value))


def test_label_pickle_with_three_fields(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    write_label_pickle(label_path, (['a', 'b'], [0, 1], ['extra', 'field']))
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"label_path '{label_path}': expected a pickled "
            '(sample_names, labels) pair, got tuple of length 3'
            in str(error.value))


def test_labels_as_strings(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2), [0, 1])
    write_label_pickle(label_path, (['a', 'b'], ['walk', 'run']))
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, num_classes=NUM_CLASSES)
    assert (f"label_path '{label_path}': label #0 is 'walk'; expected an "
            'integer class index' in str(error.value))


def test_negative_label(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(3), [0, -1, 2])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, num_classes=NUM_CLASSES)
    assert (f"label_path '{label_path}': label #1 is -1, outside [0, 8)"
            in str(error.value))


def test_nan_in_data(tmp_path):
    data = skeletons(4)
    data[2, 1, 5, 3, 0] = np.nan
    data_path, label_path = write_pair(tmp_path, data, [0, 1, 2, 3])
    with left_unchanged(data_path, label_path):
        dataset = SkeletonDataset(data_path, label_path)
        dataset[1]  # the clean samples load
        with pytest.raises(ValueError) as error:
            dataset[2]
    assert (f"data_path '{data_path}': sample #2 contains 1 non-finite "
            'values (NaN/inf, e.g. nan); expected finite coordinates'
            in str(error.value))


def test_empty_dataset(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(0), [])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"data_path '{data_path}': has 0 samples; expected at least one"
            in str(error.value))


def test_joint_count_not_matching_layout(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2, 18), [0, 1])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path, layout='ntu-rgb+d')
    assert (f"data_path '{data_path}': has V=18 joints" in str(error.value))
    assert "graph layout 'ntu-rgb+d' has 25 joints" in str(error.value)


def test_four_dimensional_array(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(2)[..., 0],
                                       [0, 1])
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"data_path '{data_path}': expected a 5-D array (N, C, T, V, M), "
            'got shape (2, 3, 16, 25)' in str(error.value))


def test_label_count_not_sample_count(tmp_path):
    data_path, label_path = write_pair(tmp_path, skeletons(6), [0] * 5)
    with left_unchanged(data_path, label_path):
        with pytest.raises(ValueError) as error:
            SkeletonDataset(data_path, label_path)
    assert (f"label_path '{label_path}' has 5 labels but data_path "
            f"'{data_path}' has 6 samples" in str(error.value))


def test_malicious_label_pickle_is_not_run(tmp_path):
    marker = tmp_path / 'pwned'
    data_path, label_path = write_pair(tmp_path, skeletons(1), [0])
    write_label_pickle(label_path, (['a'], [RunsCommand(marker)]))
    with left_unchanged(data_path, label_path):
        with pytest.raises(UnsafePickleError) as error:
            SkeletonDataset(data_path, label_path)
    assert not marker.exists()
    assert f"refusing to load '{label_path}'" in str(error.value)
    assert re.search(r"names '(posix|os)\.system'", str(error.value))


def test_missing_data_path(tmp_path):
    _, label_path = write_pair(tmp_path, skeletons(1), [0])
    missing = str(tmp_path / 'no_such_data.npy')
    with left_unchanged(label_path):
        with pytest.raises(FileNotFoundError) as error:
            SkeletonDataset(missing, label_path)
    assert f"data_path: skeleton file '{missing}' not found" in str(
        error.value)


def test_hdf5_with_mismatched_lengths(tmp_path):
    path = str(tmp_path / 'train.h5')
    with h5py.File(path, 'w') as file:
        file['data'] = skeletons(4)
        file['label'] = np.array([0, 1, 2])
        file['sample_name'] = np.array([b'a', b'b', b'c', b'd'])
    with left_unchanged(path):
        with pytest.raises(ValueError) as error:
            H5SkeletonDataset(path)
    assert (f"data_path '{path}': dataset 'label' has 3 entries but 'data' "
            'has 4 samples (axis 0)' in str(error.value))


def test_pose_annotation_with_three_dimensional_keypoint(tmp_path):
    path = write_label_pickle(
        tmp_path / 'poses.pkl',
        dict(split=dict(train=['clip0']),
             annotations=[
                 dict(frame_dir='clip0', label=0,
                      keypoint=np.zeros((16, 25, 3), np.float32))
             ]))
    with left_unchanged(path):
        with pytest.raises(ValueError) as error:
            PoseAnnotationDataset(path, split='train')
    assert (f"ann_file '{path}', annotation #0 (frame_dir 'clip0'): field "
            "'keypoint' must have shape (M, T, V, C)" in str(error.value))


# ------------------------------------------ checkpoints and configs (API)


def test_malicious_checkpoint_is_not_run(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': RunsCommand(marker)}, path)
    with left_unchanged(path):
        with pytest.raises(UnsafeCheckpointError) as error:
            load_checkpoint_file(path)
    assert not marker.exists()
    assert (f"checkpoint '{path}' refers to code outside the allowlist"
            in str(error.value))
    assert re.search(r'(posix|os)\.system', str(error.value))


def test_checkpoint_of_garbage_bytes(tmp_path):
    path = tmp_path / 'garbage.pth'
    path.write_bytes(b'\x00 garbage, not a checkpoint ' * 10)
    with left_unchanged(str(path)):
        with pytest.raises(ValueError) as error:
            load_checkpoint_file(str(path))
    # not reported as unsafe code: the bytes are no checkpoint at all
    assert (f"checkpoint '{path}' ({path.stat().st_size} bytes) is not a "
            'readable PyTorch checkpoint' in str(error.value))


def test_config_with_unknown_type(tmp_path):
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.merge_from_dict({'model.backbone.type': 'NoSuchNet'})
    with left_unchanged(DEMO_CONFIG):
        with pytest.raises(KeyError) as error:
            MODELS.build(cfg.model)
    assert 'NoSuchNet is not in the stgcn_reg::model registry' in str(
        error.value)


# ------------------------------------------------ gendata on bad raw data


def ntu_skeleton_text(num_frames: int) -> str:
    """A valid raw NTU file: one body, 25 joints per frame."""
    lines = [str(num_frames)]
    for frame in range(num_frames):
        lines += ['1', '72057594037931101 0 1 1 1 1 0 0.03 0.05 2', '25']
        lines += [
            f'{0.1 * frame:.3f} {0.01 * joint:.3f} 3.0 277.4 191.8 1036.2 '
            '519.2 -0.21 0.05 0.97 -0.12 2' for joint in range(25)
        ]
    return '\r\n'.join(lines) + '\r\n'


def test_truncated_skeleton_file_is_skipped_and_reported(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    good = ['S001C001P001R001A001', 'S001C001P001R001A002']
    for name in good:
        (raw / f'{name}.skeleton').write_text(ntu_skeleton_text(4))
    text = ntu_skeleton_text(4)
    truncated = raw / 'S001C001P001R001A003.skeleton'
    truncated.write_text(text[:len(text) // 2])
    out = tmp_path / 'out'
    with left_unchanged(str(raw)):
        summaries = generate_ntu(str(raw), str(out), benchmarks=['xsub'],
                                 workers=1, progress=False)
    skipped = dict(summaries['xsub/train'].skipped)
    assert list(skipped) == [truncated.name]
    assert str(truncated) in skipped[truncated.name]
    assert summaries['xsub/train'].written == 2
    with open(out / 'xsub' / 'train_label.pkl', 'rb') as file:
        names, labels = pickle.load(file)
    assert names == [f'{name}.skeleton' for name in good]
    assert labels == [0, 1]
    assert np.load(out / 'xsub' / 'train_data.npy').shape[0] == 2


def test_ntu_gendata_on_an_empty_folder(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    (raw / 'readme.txt').write_text('no skeletons here')
    out = tmp_path / 'out'
    with left_unchanged(str(raw)):
        output = run_tool(tool('ntu_gendata.py'), '--data-path', str(raw),
                          '--out-folder', str(out), cwd=str(tmp_path),
                          expect_rc=1)
    assert (f"error: data_path '{raw}' has no .skeleton files" in output)
    assert 'Traceback' not in output
    assert not out.exists()


def test_kinetics_gendata_on_a_missing_folder(tmp_path):
    missing = tmp_path / 'no_such_release'
    output = run_tool(tool('kinetics_gendata.py'), '--data-path',
                      str(missing), '--out-folder', str(tmp_path / 'out'),
                      cwd=str(tmp_path), expect_rc=1)
    assert (f"error: split 'train': folder '{missing}/kinetics_train' not "
            'found' in output)
    assert 'Traceback' not in output
    assert not (tmp_path / 'out').exists()


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
