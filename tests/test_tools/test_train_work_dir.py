"""tools/train.py on a work dir it cannot write: read-only, disk full.

Real file systems in a private mount namespace (``unshare -m``, as root):
a read-only bind mount of a finished run's work dir, and a tmpfs too small
for the run. Skipped where mount namespaces are not available.
"""
import os
import shlex
import subprocess
import sys

import numpy as np
import pytest
import torch
from conftest import write_skeleton_files
from tool_runner import DEMO_CONFIG, TINY_MODEL, data_options, run_tool, tool

pytestmark = pytest.mark.slow


def _can_mount() -> bool:
    try:
        return subprocess.run(
            ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt'],
            capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_mounts = pytest.mark.skipif(
    not _can_mount(), reason='needs root and mount namespaces (unshare -m)')


@pytest.fixture(scope='module')
def data(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp('data')
    rng = np.random.default_rng(0)
    for split, count in (('train', 16), ('val', 8)):
        clips = rng.normal(size=(count, 3, 16, 25, 2)).astype(np.float32)
        write_skeleton_files(str(folder), split, clips,
                             [i % 8 for i in range(count)])
    return str(folder)


def train_command(work_dir, data, *extra) -> str:
    args = [sys.executable, tool('train.py'), DEMO_CONFIG, '--work-dir',
            str(work_dir), '--device', 'cpu', '--batch-size', '8',
            '--save-interval', '1', '--eval-interval', '1', '--lr', '0.5',
            *extra, '--cfg-options', *TINY_MODEL, *data_options(data)]
    return ' '.join(shlex.quote(a) for a in args)


def in_mount_namespace(script: str, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    return subprocess.run(['unshare', '-m', 'bash', '-c', script],
                          cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=600)


def digests(folder) -> dict:
    return {name: (folder / name).read_bytes()
            for name in sorted(os.listdir(folder))
            if (folder / name).is_file()}


def error_lines(output: str) -> list:
    return [line for line in output.splitlines() if line.startswith('error')]


@needs_mounts
def test_read_only_work_dir_is_one_line_and_nothing_changes(data, tmp_path):
    work_dir = tmp_path / 'work'
    run_tool(*shlex.split(train_command(work_dir, data, '--epochs', '1'))[1:],
             cwd=str(tmp_path))
    before = digests(work_dir)
    quoted = shlex.quote(str(work_dir))
    proc = in_mount_namespace(
        f'mount --bind {quoted} {quoted} && '
        f'mount -o remount,bind,ro {quoted} && '
        + train_command(work_dir, data, '--epochs', '2', '--resume'),
        tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output[-3000:]
    assert 'Traceback' not in output
    assert error_lines(output) == [
        f"error: cannot write to work dir '{work_dir}': Read-only file "
        'system'
    ]
    assert digests(work_dir) == before


@needs_mounts
def test_full_disk_stops_with_one_line_and_keeps_checkpoints(data, tmp_path):
    work_dir, kept = tmp_path / 'work', tmp_path / 'kept'
    work_dir.mkdir()
    kept.mkdir()
    quoted = shlex.quote(str(work_dir))
    # room for the first epoch's files, not for the second's
    proc = in_mount_namespace(
        f'mount -t tmpfs -o size=450k tmpfs {quoted} && '
        + train_command(work_dir, data, '--epochs', '3')
        + f'; rc=$?; cp -a {quoted}/. {shlex.quote(str(kept))}/; exit $rc',
        tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output[-3000:]
    assert 'Traceback' not in output
    [line] = error_lines(output)
    assert line.startswith(f'error: cannot write {work_dir}/')
    assert line.endswith(': No space left on device; the checkpoints saved '
                         'before are intact')
    names = os.listdir(kept)
    assert not [name for name in names if '.tmp' in name]
    checkpoints = [name for name in names if name.endswith('.pth')]
    assert 'epoch_1.pth' in checkpoints
    for name in checkpoints:
        checkpoint = torch.load(kept / name, weights_only=False)
        assert 'cls_head.fc.weight' in checkpoint['state_dict']
    last = (kept / 'last_checkpoint').read_text()
    assert last in checkpoints
