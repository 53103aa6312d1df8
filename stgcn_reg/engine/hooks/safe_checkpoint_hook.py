"""Checkpointing that a kill at any moment cannot break."""
import glob
import os
import os.path as osp
from typing import Any, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from stgcn_reg.engine.atomic_file_backend import (
    BACKEND_NAME,
    AtomicLocalBackend,
)
from stgcn_reg.registry import HOOKS


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """mmengine's :class:`CheckpointHook`, made crash-safe.

    Three changes, same options otherwise (``interval``,
    ``max_keep_ckpts``, ``save_best``, ...):

    - checkpoint files are written atomically (temp file + rename, through
      :class:`AtomicLocalBackend`), so a kill during a save leaves the
      previous checkpoint intact and never a truncated file;
    - an outdated checkpoint is removed only after the new one is
      complete (mmengine removes it first);
    - ``last_checkpoint`` is replaced atomically and only ever names a
      complete file;
    - temp files a killed run left behind are removed when training
      starts again;
    - on resume, each parameter scheduler keeps the ``end`` of the current
      config (mmengine defaults it to ``max_epochs``), so a run resumed
      with more ``--epochs`` still follows its schedule.

    Args:
        backend_args (dict, optional): File backend arguments. Defaults to
            the atomic local backend.
        **kwargs: Any other :class:`CheckpointHook` argument.
    """

    def __init__(self,
                 backend_args: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(
            backend_args=backend_args or dict(backend=BACKEND_NAME),
            **kwargs)

    def before_train(self, runner: Any) -> None:
        """Set up as mmengine does, then clear a killed run's temp files."""
        super().before_train(runner)
        if is_main_process() and osp.isdir(self.out_dir):
            for temp in glob.glob(osp.join(self.out_dir, '.*.pth.tmp.*')):
                if not _owner_alive(temp):
                    os.remove(temp)

    def after_load_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """Let the current config decide where the LR schedule ends."""
        schedulers = checkpoint.get('param_schedulers')
        states = (
            [s for group in schedulers.values() for s in group]
            if isinstance(schedulers, dict) else schedulers or [])
        for state in states:
            state.pop('end', None)

    def _save_checkpoint_with_step(self, runner, step: int,
                                   meta: dict) -> None:
        outdated = []
        if self.max_keep_ckpts > 0 and (not self.keep_ckpt_ids
                                        or self.keep_ckpt_ids[-1] != step):
            # keep_ckpt_ids is a deque of maxlen max_keep_ckpts
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            ckpt_filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        AtomicLocalBackend().put_text(
            self.last_ckpt, self.file_backend.join_path(
                runner.work_dir, 'last_checkpoint'))
        for old_step in outdated:
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(old_step))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)


def _owner_alive(temp_path: str) -> bool:
    """Whether the process that writes ``.<name>.tmp.<pid>`` still runs."""
    try:
        pid = int(temp_path.rsplit('.', 1)[-1])
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
