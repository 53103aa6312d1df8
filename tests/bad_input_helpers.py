"""Shared by the malformed-input tests (``tests/test_bad_inputs*.py``):
file digests, the no-harm check, bad data writers, the tool arguments.

Each case feeds one bad input to a tool or a public API and checks that it
fails with a clear message and that its inputs, and the contents of a work
dir left by an earlier good run, are byte-for-byte unchanged afterwards.
"""
import contextlib
import hashlib
import os
import os.path as osp
import pickle
import re
from typing import Dict, Iterator, List, Optional

import numpy as np
from conftest import write_skeleton_files
from tool_runner import DEMO_CONFIG, TINY_MODEL, data_options, tool

from stgcn_reg.checkpoints import load_checkpoint_file

NUM_CLASSES = 8  # the demo config's
# mmengine's Runner writes a timestamped log folder per run ...
RUN_FOLDER = re.compile(r'\d{8}_\d{6}')
# ... and rewrites the resolved config at every start (a good --resume
# does too), so that one file of the work dir may change
DUMPED_CONFIG = osp.basename(DEMO_CONFIG)


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
