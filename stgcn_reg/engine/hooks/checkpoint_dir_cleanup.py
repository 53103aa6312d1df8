"""Tidy a checkpoint folder after a killed run: temp files, stale epochs."""
import glob
import os
import os.path as osp
import re
from typing import Iterable, List


def remove_stale_temp_files(folders: Iterable[str]) -> List[str]:
    """Remove ``.<name>.tmp.<pid>`` files whose writer no longer runs.

    These are what :func:`stgcn_reg.utils.atomic_path` leaves when a
    process is killed mid-write (checkpoints, ``last_checkpoint``, the
    config). Returns the removed paths.
    """
    removed = []
    for folder in sorted(set(osp.abspath(f) for f in folders)):
        for temp in glob.glob(osp.join(glob.escape(folder), '.*.tmp.*')):
            if osp.isfile(temp) and not _owner_alive(temp):
                os.remove(temp)
                removed.append(temp)
    return removed


def _owner_alive(temp_path: str) -> bool:
    """Whether the process that writes ``.<name>.tmp.<pid>[.ext]`` runs."""
    match = re.search(r'\.tmp\.(\d+)', osp.basename(temp_path))
    if match is None:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def checkpoint_steps(folder: str, filename_tmpl: str) -> List[int]:
    """Steps N of the ``filename_tmpl`` files (e.g. ``epoch_N.pth``)."""
    pattern = re.compile(
        re.escape(filename_tmpl).replace(r'\{\}', r'(\d+)') + '$')
    steps = []
    for name in os.listdir(folder) if osp.isdir(folder) else []:
        match = pattern.match(name)
        if match and osp.isfile(osp.join(folder, name)):
            steps.append(int(match.group(1)))
    return sorted(steps)


def remove_unkept_checkpoints(folder: str, filename_tmpl: str,
                              keep: List[int]) -> List[str]:
    """Remove checkpoints older than the newest kept one and not kept.

    A run killed between saving a checkpoint and removing the oldest one
    leaves that oldest file behind; ``max_keep_ckpts`` then holds again.
    Checkpoints newer than every kept one (a resume from an earlier file)
    are left alone. Returns the removed paths.
    """
    if not keep:
        return []
    removed = []
    for step in checkpoint_steps(folder, filename_tmpl):
        if step < max(keep) and step not in keep:
            path = osp.join(folder, filename_tmpl.format(step))
            os.remove(path)
            removed.append(path)
    return removed
