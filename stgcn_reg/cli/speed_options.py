"""The trainer's speed switches applied to a config: ``--amp`` and
``--compile``."""
from typing import Any, List, Optional

from mmengine.config import Config

from stgcn_reg.cli.amp_policy import choose_amp_dtype
from stgcn_reg.cli.config_overrides import enable_amp

# backbones with the ``compile`` / ``with_cp`` options
FAST_BACKBONES = ('STGCN', 'stgcn_reg.STGCN')


def apply_amp(cfg: Config, device: str, requested: str = 'auto',
              flags: Optional[set] = None) -> str:
    """Switch the optimizer wrapper to autocast when it pays; the message
    says what was chosen and why (see :func:`choose_amp_dtype`)."""
    dtype, message = choose_amp_dtype(device, requested, flags)
    if dtype is not None:
        enable_amp(cfg, device)
        cfg.optim_wrapper.dtype = dtype
    return message


def _backbones(node: Any) -> List[dict]:
    """Every ``dict(type='STGCN', ...)`` inside a model config."""
    found: List[dict] = []
    if isinstance(node, dict):
        if node.get('type') in FAST_BACKBONES:
            found.append(node)
        for value in node.values():
            found += _backbones(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += _backbones(value)
    return found


def set_backbone_option(cfg: Config, key: str, value: Any) -> int:
    """Set ``key`` on every STGCN backbone of ``cfg.model``; returns how
    many. Raises ValueError when the model has none."""
    backbones = _backbones(cfg.get('model', {}))
    if not backbones:
        raise ValueError(
            f'{key}: the config\'s model has no STGCN backbone (types '
            f'{", ".join(FAST_BACKBONES)}); set the option in the config')
    for backbone in backbones:
        backbone[key] = value
    return len(backbones)
