"""Device choice and CPU-capable distributed start-up for the tools."""
import logging
import os
import sys
from typing import Optional

import torch
import torch.distributed as dist


def select_device(device: Optional[str]) -> str:
    """Resolve ``--device`` (``cpu``, ``cuda`` or None for automatic).

    ``cpu`` hides the GPUs from this process (mmengine always moves the
    model to CUDA when it sees one); ``cuda`` fails clearly without one.
    Call it before anything initialises CUDA.
    """
    if device not in (None, 'cpu', 'cuda'):
        raise ValueError(f"--device must be 'cpu' or 'cuda', got {device!r}")
    if device == 'cpu':
        os.environ['CUDA_VISIBLE_DEVICES'] = ''
        return 'cpu'
    available = torch.cuda.is_available()
    if device == 'cuda' and not available:
        raise RuntimeError(
            '--device cuda was requested but no CUDA device is available; '
            'use --device cpu')
    return 'cuda' if available else 'cpu'


def _export_slurm_env() -> None:
    """Fill torchrun-style variables from SLURM's for one task per rank."""
    mapping = dict(
        RANK='SLURM_PROCID',
        WORLD_SIZE='SLURM_NTASKS',
        LOCAL_RANK='SLURM_LOCALID')
    for name, slurm_name in mapping.items():
        if name not in os.environ:
            if slurm_name not in os.environ:
                raise RuntimeError(
                    f'--launcher slurm: ${slurm_name} is not set; run the '
                    'job with srun')
            os.environ[name] = os.environ[slurm_name]
    os.environ.setdefault('MASTER_PORT', '29500')
    if 'MASTER_ADDR' not in os.environ:
        raise RuntimeError(
            '--launcher slurm on CPU needs $MASTER_ADDR (the first node of '
            'the job, e.g. from `scontrol show hostnames`)')


def init_cpu_distributed(launcher: str) -> None:
    """Start a gloo process group so mmengine skips its CUDA-only launch.

    mmengine's launchers call ``torch.cuda.set_device``, which fails
    without CUDA; when the group already exists, the Runner uses it.
    """
    if launcher == 'none' or dist.is_initialized():
        return
    if launcher == 'slurm':
        _export_slurm_env()
    for name in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        if name not in os.environ:
            raise RuntimeError(
                f'--launcher {launcher}: ${name} is not set; start the '
                'processes with torchrun (tools/dist_train.sh) or srun')
    dist.init_process_group(backend='gloo')


def world_size_from_env() -> int:
    """Number of processes the launcher started (1 without a launcher)."""
    for name in ('WORLD_SIZE', 'SLURM_NTASKS'):
        if name in os.environ:
            return int(os.environ[name])
    return 1


def is_main_rank_from_env() -> bool:
    """Whether this process is rank 0 (torchrun or SLURM), before init."""
    for name in ('RANK', 'SLURM_PROCID'):
        if name in os.environ:
            return int(os.environ[name]) == 0
    return True


def shutdown_distributed() -> None:
    """Wait for every rank, close the process group, end the process.

    Leaving a gloo group to interpreter exit can abort a rank
    ("terminate called without an active exception") after its work is
    done, which torchrun reports as a failed run; closing the group first
    makes that rare, not impossible (the C++ side's threads can still be
    torn down in the wrong order). So a distributed rank, its work done and
    its output flushed, ends with ``os._exit(0)``, which skips those
    destructors; a single process returns normally.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
