"""Helpers for tests that run the command-line tools in subprocesses."""
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional

from conftest import REPO_ROOT

# the demo model, made tiny so a run takes seconds
TINY_MODEL = [
    'model.backbone.channels=[8,8,16,16]', 'model.backbone.strides=[1,2,1,1]',
    'model.cls_head.in_channels=16'
]
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py')


def tool(name: str) -> str:
    """Path of ``tools/<name>``."""
    return osp.join(REPO_ROOT, 'tools', name)


def run_tool(*args: str, cwd: str, expect_rc: Optional[int] = 0,
             extra_env: Optional[Dict[str, str]] = None) -> str:
    """Run a Python tool on CPU; return stdout + stderr.

    Fails with the output's tail when the exit code is not ``expect_rc``
    (``None`` accepts any).
    """
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    env.update(extra_env or {})
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    if expect_rc is not None:
        assert proc.returncode == expect_rc, output[-4000:]
    return output


def data_options(folder: str) -> List[str]:
    """``--cfg-options`` pointing every dataloader at ``folder``'s files."""
    return [
        f'{loader}.dataset.{key}={folder}/{split}_{suffix}'
        for loader, split in (('train_dataloader', 'train'),
                              ('val_dataloader', 'val'),
                              ('test_dataloader', 'val'))
        for key, suffix in (('data_path', 'data.npy'),
                            ('label_path', 'label.pkl'))
    ]


def make_demo_data(folder: str, num_train: int = 32, num_val: int = 16,
                   num_frames: int = 16) -> str:
    """Write a small synthetic demo dataset with the real generator."""
    run_tool(tool('make_demo_data.py'), '--out-dir', folder, '--num-train',
             str(num_train), '--num-val', str(num_val), '--num-frames',
             str(num_frames), cwd=folder)
    return folder
