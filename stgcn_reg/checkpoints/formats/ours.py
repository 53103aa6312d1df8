"""Checkpoints of this package: mmengine's ``dict(state_dict, meta)`` or a
bare state dict, with our keys (``backbone.blocks.{i}...``).

Detection takes any non-empty mapping of tensors, so this format comes
last in :data:`stgcn_reg.checkpoints.formats.FORMATS`. It has nothing to
convert or export (no ``save_as_ours``, ``from_ours``).
"""
from collections import OrderedDict
from typing import Any, Dict, Mapping, Optional

import torch
from mmengine.model import is_model_wrapper
from torch import nn

from stgcn_reg.checkpoints.formats.ours_model_cfg import (
    model_config_from_weights,
)
from stgcn_reg.checkpoints.state_dicts import (
    state_dict_in,
    strip_module_prefix,
)

__all__ = [
    'NAME', 'checkpoint_mismatches', 'describe', 'detect',
    'listed_mismatches', 'model_config_from_weights', 'to_ours'
]
NAME = 'stgcn_reg ST-GCN'
# tensors listed in a mismatch message; the rest are counted
_MAX_LISTED = 5


def detect(obj: Any) -> bool:
    """Whether ``obj`` is a checkpoint or a state dict of tensors."""
    state_dict = state_dict_in(obj)
    return (isinstance(state_dict, Mapping) and bool(state_dict) and all(
        torch.is_tensor(value) for value in state_dict.values()))


def describe(state_dict: Mapping[str, Any]) -> str:
    """The format's name for messages and ``meta``."""
    return NAME


def to_ours(state_dict: Mapping[str, torch.Tensor],
            model: Optional[nn.Module] = None,
            skip_mismatched_head: bool = False
            ) -> 'OrderedDict[str, torch.Tensor]':
    """The tensors as they are, without ``module.``; check them against a
    model with :func:`checkpoint_mismatches`."""
    return strip_module_prefix(state_dict)


def checkpoint_mismatches(state_dict: Mapping[str, Any],
                          model: Any) -> Dict[str, str]:
    """Tensors of ``state_dict`` that do not fit ``model``, and why.

    Args:
        state_dict (Mapping): A checkpoint's ``state_dict`` (a ``module.``
            prefix, as DDP writes it, is ignored).
        model (nn.Module): The model, possibly in a DDP wrapper.

    Returns:
        dict: Key -> what differs (shape, or missing on one side); empty
        when every tensor fits.
    """
    if is_model_wrapper(model):
        model = model.module
    saved = strip_module_prefix(state_dict)
    expected = model.state_dict()
    problems = {}
    for key, value in expected.items():
        if key not in saved:
            problems[key] = 'in the model but not in the checkpoint'
            continue
        shape = tuple(getattr(saved[key], 'shape', ()))
        if shape != tuple(value.shape):
            problems[key] = (f'shape {shape} in the checkpoint, '
                             f'{tuple(value.shape)} in the model')
    for key in saved.keys() - expected.keys():
        problems[key] = 'in the checkpoint but not in the model'
    return problems


def listed_mismatches(problems: Mapping[str, str]) -> str:
    """Up to five ``key: why`` of :func:`checkpoint_mismatches`, sorted,
    as message lines (``'\\n  - '`` between them); the rest counted."""
    listed = [f'{key}: {why}'
              for key, why in sorted(problems.items())[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        listed.append(f'... and {len(problems) - _MAX_LISTED} more')
    return '\n  - '.join(listed)
