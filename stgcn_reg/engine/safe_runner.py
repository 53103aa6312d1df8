"""mmengine's Runner: resume finds moved work dirs and fails cleanly, and
the config is formatted once."""
import os.path as osp
import shutil
from typing import Any

from mmengine.config import Config
from mmengine.dist import is_main_process
from mmengine.runner import Runner

from stgcn_reg.engine.last_checkpoint import read_last_checkpoint
from stgcn_reg.engine.text_cached_config import TextCachedConfig


class SafeRunner(Runner):
    """:class:`mmengine.runner.Runner` with two changes for ``--resume``.

    - The latest checkpoint is read from ``last_checkpoint`` relative to
      the work dir (see :mod:`stgcn_reg.engine.last_checkpoint`), so a
      work dir that was moved resumes.
    - A resume that fails (unreadable checkpoint, another model) leaves
      the work dir as it was: the resolved config is written only once
      the checkpoint has loaded and the start-up checks passed, and the
      failed attempt's log folder is removed.

    Its config is a :class:`TextCachedConfig`: the text logged, dumped and
    kept in each checkpoint is formatted once, not at every save.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._config_pending = False
        if isinstance(kwargs.get('cfg'), Config):
            kwargs['cfg'] = TextCachedConfig.wrap(kwargs['cfg'])
        super().__init__(*args, **kwargs)

    def dump_config(self) -> None:
        """Write the config now, or, when resuming, once training starts."""
        if self._resume:
            self._config_pending = True
            return
        super().dump_config()

    def call_hook(self, fn_name: str, **kwargs: Any) -> None:
        """Call the hooks; after ``before_train``, write a pending config."""
        super().call_hook(fn_name, **kwargs)
        if fn_name == 'before_train' and self._config_pending:
            self._config_pending = False
            super().dump_config()

    def load_or_resume(self) -> None:
        """Resolve ``--resume`` without a path through ``last_checkpoint``."""
        if self._resume and self._load_from is None and not self._has_loaded:
            self._load_from = read_last_checkpoint(self.work_dir)
        super().load_or_resume()

    def train(self) -> Any:
        """Train; a resume failing before training removes its log folder."""
        try:
            return super().train()
        except BaseException:
            if self._config_pending and is_main_process():
                self._remove_log_dir()
            raise

    def _remove_log_dir(self) -> None:
        """Drop this attempt's timestamped log folder (nothing else)."""
        for handler in list(self.logger.handlers):
            if getattr(handler, 'baseFilename', '').startswith(
                    osp.abspath(self.log_dir)):
                handler.close()
                self.logger.removeHandler(handler)
        shutil.rmtree(self.log_dir, ignore_errors=True)
