"""Before training: a work dir that can be written and holds no other run."""
import errno
import glob
import os
import os.path as osp
import time
from typing import List, Optional

from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.engine.last_checkpoint import (
    LAST_CHECKPOINT,
    read_last_checkpoint,
)

# what a run leaves in its work dir that a new run would replace
RUN_FILES = ('epoch_*.pth', 'iter_*.pth', 'best_*.pth', LAST_CHECKPOINT)
# errors that mean "cannot write here", not "bad input"
WRITE_ERRNOS = frozenset(
    (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT,
     errno.EFBIG, errno.ENOTDIR, errno.EEXIST))


class WorkDirError(ValueError):
    """The work dir cannot be used for this run."""


def check_writable_work_dir(work_dir: str) -> None:
    """Create ``work_dir`` if needed and prove a file can be written there."""
    if osp.exists(work_dir) and not osp.isdir(work_dir):
        raise WorkDirError(
            f'--work-dir {work_dir!r} is a file, not a folder; give a '
            'folder (it is created if missing)')
    probe = osp.join(work_dir, f'.write_probe.tmp.{os.getpid()}')
    try:
        os.makedirs(work_dir, exist_ok=True)
        with open(probe, 'wb') as file:
            file.write(b'0')
    except OSError as error:
        raise WorkDirError(
            f'cannot write to work dir {work_dir!r}: {error.strerror}'
        ) from error
    finally:
        if osp.exists(probe):
            os.remove(probe)


def run_files(work_dir: str) -> List[str]:
    """Names of the checkpoint files of a run in ``work_dir``."""
    names = set()
    for pattern in RUN_FILES:
        names.update(
            osp.basename(path)
            for path in glob.glob(osp.join(glob.escape(work_dir), pattern)))
    return sorted(names)


def describe_run(work_dir: str) -> str:
    """One line on the run in ``work_dir``: config, checkpoints, best."""
    configs = sorted(
        name for name in os.listdir(work_dir) if name.endswith('.py'))
    parts = [f'config {", ".join(configs)}'] if configs else []
    checkpoints = [n for n in run_files(work_dir) if n != LAST_CHECKPOINT]
    parts.append('checkpoints ' + ', '.join(checkpoints)
                 if checkpoints else 'a last_checkpoint record')
    best = _best_score(work_dir)
    if best:
        parts.append(best)
    return '; '.join(parts)


def _best_score(work_dir: str) -> Optional[str]:
    """``best score 42.86 in best_acc_top1_epoch_4.pth``, as recorded."""
    latest = read_last_checkpoint(work_dir)
    if latest is None or not osp.isfile(latest):
        return None
    try:
        info = load_checkpoint_file(latest, map_location='cpu').get(
            'message_hub', {}).get('runtime_info', {})
    except (OSError, ValueError, AttributeError):
        return None
    scores = []
    for key, value in sorted(info.items()):
        if not key.startswith('best_score') or not isinstance(
                value, (int, float)):
            continue
        text = f'best score {value:.4g}'
        path = info.get('best_ckpt' + key[len('best_score'):])
        scores.append(f'{text} in {osp.basename(path)}' if path else text)
    return ', '.join(scores) or None


def refuse_other_run(work_dir: str) -> None:
    """Stop a fresh run from replacing the checkpoints of another one."""
    if not osp.isdir(work_dir) or not run_files(work_dir):
        return
    raise WorkDirError(
        f'work dir {work_dir!r} already holds a run ({describe_run(work_dir)})'
        '; continue it with --resume, start elsewhere with --work-dir, or '
        'replace it with --overwrite (its files are moved aside)')


def move_run_aside(work_dir: str) -> Optional[str]:
    """Move a run's checkpoint files into ``work_dir/replaced_<time>/``."""
    names = run_files(work_dir) if osp.isdir(work_dir) else []
    if not names:
        return None
    folder = osp.join(work_dir, time.strftime('replaced_%Y%m%d_%H%M%S'))
    os.makedirs(folder, exist_ok=True)
    for name in names:
        os.replace(osp.join(work_dir, name), osp.join(folder, name))
    return folder


def prepare_work_dir(work_dir: str, resume: bool, overwrite: bool,
                     main_process: bool = True) -> Optional[str]:
    """All checks before training; returns where an old run was moved."""
    if resume and overwrite:
        raise WorkDirError('--resume and --overwrite exclude each other')
    check_writable_work_dir(work_dir)
    if resume:
        return None
    if not overwrite:
        refuse_other_run(work_dir)
        return None
    return move_run_aside(work_dir) if main_process else None


def write_error_message(error: OSError, work_dir: str) -> Optional[str]:
    """A one-line message for a failed write, None for other errors."""
    if error.errno not in WRITE_ERRNOS:
        return None
    where = error.filename or f'into work dir {work_dir}'
    return (f'cannot write {where}: {error.strerror}; the checkpoints saved '
            'before are intact')
