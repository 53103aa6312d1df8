"""The start-up tools/train.py and tools/test.py share."""
import sys
from typing import Callable

from mmengine.config import Config
from mmengine.runner import Runner

from .checkpoint_safety import install_safe_checkpoint_loader
from .config_checks import check_config
from .launch import init_cpu_distributed
from .loader_defaults import apply_loader_defaults
from .original_checkpoint import convert_foreign_load_from
from .released_models import resolve_url_load_from


def build_runner(make_config: Callable[[], Config], device: str,
                 launcher: str, trusted: bool, training: bool) -> Runner:
    """Load the config, fill DataLoader settings it leaves open from the
    machine, check it, fetch a URL, convert foreign weights
    (original ST-GCN, MMAction2, PYSKL), build a Runner.

    A bad config or checkpoint ends the process with ``error: ...``
    (exit 1) before anything is written.

    Args:
        make_config (callable): Loads the config with the tool's overrides.
        device (str): ``cpu`` or ``cuda``.
        launcher (str): ``none``, ``pytorch`` or ``slurm``.
        trusted (bool): ``--trust-checkpoint``.
        training (bool): Training (fine-tuning allowed) or testing.
    """
    install_safe_checkpoint_loader(trusted=trusted)
    try:
        cfg = make_config()
        apply_loader_defaults(cfg, device)
        check_config(cfg, training=training)
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
    return Runner.from_cfg(cfg)
