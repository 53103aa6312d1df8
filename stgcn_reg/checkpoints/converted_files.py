"""Write converted checkpoints atomically, saying where they came from."""
import os.path as osp
from collections import OrderedDict
from typing import Any, Mapping

import torch
from torch import nn

from stgcn_reg.utils import atomic_path
from stgcn_reg.utils.download import is_url


def source_location(source: str) -> str:
    """A URL as it is, a file as its absolute path (for ``meta``)."""
    return source if is_url(source) else osp.abspath(source)


def save_atomically(checkpoint: Mapping[str, Any], out_file: str) -> None:
    """``torch.save`` to a temporary file, renamed to ``out_file`` when
    complete."""
    with atomic_path(out_file) as temp:
        torch.save(checkpoint, temp)


def save_converted(converted: Mapping[str, torch.Tensor], model: nn.Module,
                   source: str, source_format: str, out_file: str,
                   **meta: Any) -> dict:
    """Save ``dict(state_dict=converted, meta=...)`` for ``model``.

    ``meta`` holds ``converted_from``, ``source_format``, ``model_type``,
    the given ``meta`` items and ``not_converted`` (the model's keys the
    file did not give, e.g. a classifier left out for fine-tuning).

    Returns:
        dict: The saved checkpoint.
    """
    checkpoint = dict(
        state_dict=OrderedDict(converted),
        meta=dict(
            converted_from=source_location(source),
            source_format=source_format,
            model_type=type(model).__name__,
            **meta,
            not_converted=[
                key for key in model.state_dict() if key not in converted
            ]))
    save_atomically(checkpoint, out_file)
    return checkpoint
