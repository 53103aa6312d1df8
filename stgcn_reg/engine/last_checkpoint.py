"""The ``last_checkpoint`` file of a work dir, relative so the dir can move.

mmengine writes the absolute path of the latest checkpoint there; a work
dir copied to another machine or folder then points at the old place.
Here it names the checkpoint relative to the work dir, and reading
accepts both forms (an absolute path that no longer exists falls back to
the file of the same name in the work dir).
"""
import os.path as osp
from typing import Optional

from stgcn_reg.engine.atomic_file_backend import AtomicLocalBackend

LAST_CHECKPOINT = 'last_checkpoint'


def write_last_checkpoint(checkpoint: str, work_dir: str) -> None:
    """Record ``checkpoint`` as the latest one of ``work_dir`` atomically."""
    folder = osp.abspath(work_dir)
    target = osp.abspath(checkpoint)
    inside = osp.commonpath([folder, target]) == folder
    AtomicLocalBackend().put_text(
        osp.relpath(target, folder) if inside else target,
        osp.join(work_dir, LAST_CHECKPOINT))


def read_last_checkpoint(work_dir: str) -> Optional[str]:
    """Path of the latest checkpoint of ``work_dir``; None without one."""
    record = osp.join(work_dir, LAST_CHECKPOINT)
    if not osp.isfile(record):
        return None
    with open(record, encoding='utf-8', errors='replace') as file:
        named = file.read().strip()
    if not named:
        return None
    if not osp.isabs(named):
        return osp.join(work_dir, named)
    return moved_into(named, work_dir) or named


def moved_into(path: str, folder: str) -> Optional[str]:
    """``folder/<name>`` when ``path`` (recorded before its work dir was
    moved) no longer exists but a file of its name is in ``folder``."""
    here = osp.join(folder, osp.basename(path))
    if not osp.exists(path) and osp.exists(here):
        return here
    return None
