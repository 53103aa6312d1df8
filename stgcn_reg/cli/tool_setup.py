"""The start-up tools/train.py and tools/test.py share."""
import os.path as osp
import sys
from typing import Callable

from mmengine.config import Config

from stgcn_reg.checkpoints.load_from import convert_foreign_load_from
from stgcn_reg.checkpoints.released_models import resolve_url_load_from
from stgcn_reg.checkpoints.safe_loading import install_safe_checkpoint_loader
from stgcn_reg.cli.config_checks import check_config
from stgcn_reg.cli.launch import init_cpu_distributed, is_main_rank_from_env
from stgcn_reg.cli.loader_defaults import apply_loader_defaults
from stgcn_reg.cli.work_dir_checks import prepare_work_dir
from stgcn_reg.engine.safe_runner import SafeRunner
from stgcn_reg.utils.freed_memory import keep_freed_memory


def build_runner(make_config: Callable[[], Config], device: str,
                 launcher: str, trusted: bool, training: bool,
                 overwrite: bool = False) -> SafeRunner:
    """Keep freed CPU memory for reuse (:mod:`stgcn_reg.utils.freed_memory`),
    load the config, fill DataLoader settings it leaves open from the
    machine, check it, fetch a URL, convert foreign weights
    (original ST-GCN, MMAction2, PYSKL), check the work dir (training),
    build a Runner.

    A bad config or checkpoint ends the process with ``error: ...``
    (exit 1) before anything is written.

    Args:
        make_config (callable): Loads the config with the tool's overrides.
        device (str): ``cpu`` or ``cuda``.
        launcher (str): ``none``, ``pytorch`` or ``slurm``.
        trusted (bool): ``--trust-checkpoint``.
        training (bool): Training (fine-tuning allowed) or testing.
        overwrite (bool): ``--overwrite``: a fresh training run may
            replace the run in its work dir (moved aside).
    """
    install_safe_checkpoint_loader(trusted=trusted)
    try:
        allocator = keep_freed_memory()
        cfg = make_config()
        apply_loader_defaults(cfg, device)
        check_config(cfg, training=training)
        if training:
            moved = prepare_work_dir(
                cfg.work_dir, resume=bool(cfg.get('resume')),
                overwrite=overwrite, main_process=is_main_rank_from_env())
            if moved:
                _follow_moved_load_from(cfg, moved)
                print(f"Note: the earlier run's checkpoints were moved to "
                      f'{moved}')
        downloaded = resolve_url_load_from(cfg)
        if downloaded:
            print(f'Note: the checkpoint was downloaded to {downloaded}')
        converted = convert_foreign_load_from(
            cfg, trusted, training=training)
    except (FileNotFoundError, SyntaxError, ValueError, OSError) as error:
        sys.exit(f'error: {error}')
    if converted:
        print(f'Note: the checkpoint holds {converted[1]} weights; '
              f'converted for this model to {converted[0]}')
    if device == 'cpu':
        init_cpu_distributed(launcher)
    runner = SafeRunner.from_cfg(cfg)
    runner.logger.info(f'CPU memory: {allocator}')
    return runner


def _follow_moved_load_from(cfg: Config, moved: str) -> None:
    """``--load-from`` a checkpoint of the run just moved aside: follow it."""
    load_from = cfg.get('load_from')
    if not load_from or '://' in str(load_from):
        return
    if osp.dirname(osp.abspath(load_from)) == osp.dirname(moved):
        candidate = osp.join(moved, osp.basename(load_from))
        if osp.exists(candidate):
            cfg.load_from = candidate
