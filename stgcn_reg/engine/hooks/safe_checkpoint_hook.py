"""Checkpointing that a kill at any moment cannot break."""
import os
import os.path as osp
from typing import Any, Dict, List, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from stgcn_reg.engine.atomic_file_backend import BACKEND_NAME
from stgcn_reg.engine.hooks.checkpoint_dir_cleanup import (
    remove_stale_temp_files,
    remove_unkept_checkpoints,
)
from stgcn_reg.engine.hooks.unrecorded_best import adopt_unrecorded_best
from stgcn_reg.engine.last_checkpoint import (
    moved_into,
    write_last_checkpoint,
)
from stgcn_reg.registry import HOOKS


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """mmengine's :class:`CheckpointHook`, made crash-safe.

    Same options (``interval``, ``max_keep_ckpts``, ``save_best``, ...);
    what changes:

    - checkpoint files are written atomically (temp file + rename, through
      :class:`AtomicLocalBackend`), so a kill during a save leaves the
      previous checkpoint intact and never a truncated file;
    - an outdated checkpoint, or the previous best one, is removed only
      after the new one is complete (mmengine removes it first);
    - ``last_checkpoint`` is replaced atomically, only ever names a
      complete file, and names it relative to the work dir;
    - when training starts again, temp files a killed run left behind
      are removed, ``max_keep_ckpts`` is enforced on the files found, and
      a best checkpoint that a killed run wrote without recording it is
      taken as the best, so a worse epoch never replaces it;
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
        """Set up as mmengine does, then tidy what a killed run left."""
        super().before_train(runner)
        if not is_main_process():
            return
        remove_stale_temp_files([self.out_dir, runner.work_dir])
        if self.max_keep_ckpts > 0:
            remove_unkept_checkpoints(self.out_dir, self.filename_tmpl,
                                      list(self.keep_ckpt_ids))
        if self.save_best is not None:
            self._follow_moved_work_dir(runner)
            adopt_unrecorded_best(self, runner)

    def _follow_moved_work_dir(self, runner: Any) -> None:
        """Best paths recorded under a work dir's old place, re-rooted."""
        moved = {}
        for key, path in self.best_paths().items():
            here = moved_into(path, self.out_dir) if path else None
            if here is not None:
                moved[key] = here
                runner.message_hub.update_info(
                    'best_ckpt' if key is None else f'best_ckpt_{key}', here)
        self.set_best_paths(moved)

    def after_load_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """Let the current config decide where the LR schedule ends."""
        schedulers = checkpoint.get('param_schedulers')
        states = (
            [s for group in schedulers.values() for s in group]
            if isinstance(schedulers, dict) else schedulers or [])
        for state in states:
            state.pop('end', None)

    def best_paths(self) -> Dict[Optional[str], Optional[str]]:
        """The current best checkpoint per key indicator (None: single)."""
        if len(self.key_indicators) == 1:
            return {None: getattr(self, 'best_ckpt_path', None)}
        return dict(getattr(self, 'best_ckpt_path_dict', {}))

    def set_best_paths(self, paths: Dict[Optional[str],
                                         Optional[str]]) -> None:
        """Inverse of :meth:`best_paths` (for the keys given)."""
        if not paths:
            return
        if None in paths:
            self.best_ckpt_path = paths[None]
        else:
            self.best_ckpt_path_dict.update(paths)

    def _save_best_checkpoint(self, runner: Any, metrics: dict) -> None:
        """mmengine's best saving, the previous best removed last."""
        previous = self.best_paths()
        # mmengine deletes the previous best before writing the new one;
        # hidden from it, the old file stays until the new one is complete
        # and the epoch checkpoint re-saved with the new best recorded
        self.set_best_paths({key: None for key in previous})
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            current = self.best_paths()
            self.set_best_paths({
                key: current.get(key) or old
                for key, old in previous.items()
            })
        if not is_main_process():
            return
        for key, old in previous.items():
            new = current.get(key)
            if old and new and old != new and osp.isfile(old):
                os.remove(old)
                runner.logger.info(
                    f'The previous best checkpoint {old} is removed')

    def _save_checkpoint_with_step(self, runner, step: int,
                                   meta: dict) -> None:
        outdated: List[int] = []
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
        write_last_checkpoint(self.last_ckpt, runner.work_dir)
        for old_step in outdated:
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(old_step))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
