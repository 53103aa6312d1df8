"""Turn released ST-GCN ``.pt`` files into this framework's checkpoints.

The conversion itself (key names, checks) lives in
:mod:`stgcn_reg.checkpoints`; this module reads and writes the files
for ``tools/convert_stgcn_checkpoint.py`` and for ``--load-from`` /
``tools/test.py`` given an original file.
"""
import logging
import os.path as osp
from collections import OrderedDict
from typing import Any, Mapping, Optional, Tuple

import torch
from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.registry import DefaultScope

from stgcn_reg.checkpoints import (
    convert_original_state_dict,
    is_original_stgcn_state_dict,
)
from stgcn_reg.checkpoints.mmaction_files import (
    convert_mmaction_checkpoint,
    mmaction_state_dict_of,
)
from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.registry import MODELS
from stgcn_reg.utils import atomic_path
from stgcn_reg.utils.download import is_url


def _build_model(model_cfg: Mapping) -> torch.nn.Module:
    cfg = ConfigDict(model_cfg)
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        return MODELS.build(cfg)


def save_converted_checkpoint(state_dict: Mapping[str, torch.Tensor],
                              source: str,
                              out_file: str,
                              model_cfg: Mapping,
                              skip_mismatched_head: bool = False) -> dict:
    """Convert an original state dict for ``model_cfg``; save atomically.

    Args:
        state_dict (Mapping[str, Tensor]): The original tensors.
        source (str): Where they came from (kept in ``meta``).
        out_file (str): The checkpoint to write.
        model_cfg (Mapping): Config of the target model (``cfg.model``).
        skip_mismatched_head (bool): Leave out a classifier of another
            class count (fine-tuning); ``meta['not_converted']`` names
            it. Defaults to False.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``.

    Raises:
        OriginalCheckpointMismatchError: When the file does not fit the
            model; nothing is written then.
    """
    model = _build_model(model_cfg)
    converted = convert_original_state_dict(state_dict, model,
                                            skip_mismatched_head)
    checkpoint = dict(
        state_dict=OrderedDict(converted),
        meta=dict(
            converted_from=source if is_url(source) else osp.abspath(source),
            source_format='original ST-GCN state dict',
            model_type=type(model).__name__,
            not_converted=[
                key for key in model.state_dict() if key not in converted
            ]))
    with atomic_path(out_file) as temp:
        torch.save(checkpoint, temp)
    return checkpoint


def load_original_state_dict(filename: str,
                             trusted: bool = False) -> Optional[Any]:
    """The original ST-GCN state dict in ``filename``, or None if it is
    another kind of checkpoint (loaded safely, on the CPU)."""
    obj = load_checkpoint_file(filename, map_location='cpu', trusted=trusted)
    return obj if is_original_stgcn_state_dict(obj) else None


def convert_original_load_from(cfg: Config,
                               trusted: bool = False,
                               training: bool = False) -> Optional[str]:
    """Point ``cfg.load_from`` at a converted copy of a foreign checkpoint.

    When ``cfg.load_from`` (not a resume) is an original ST-GCN state dict
    or an MMAction2/PYSKL ST-GCN checkpoint, it is converted for
    ``cfg.model``, checked (keys, shapes, graph), saved as
    ``<work_dir>/converted_<name>.pth`` and ``cfg.load_from`` is changed to
    that file. Any other checkpoint is left alone.

    Args:
        cfg (Config): The run's config (``load_from``, ``model``,
            ``work_dir``).
        trusted (bool): Load without the safety allowlist. Defaults to
            False.
        training (bool): Pretrained weights for training: a classifier of
            another class count is left out (with a warning) so the model
            can be fine-tuned on other classes. Defaults to False.

    Returns:
        str, optional: The converted file, or None when nothing changed.
    """
    converted = convert_foreign_load_from(cfg, trusted, training)
    return converted[0] if converted else None


def convert_foreign_load_from(cfg: Config,
                              trusted: bool = False,
                              training: bool = False
                              ) -> Optional[Tuple[str, str]]:
    """As :func:`convert_original_load_from`; also names the format.

    Returns:
        tuple, optional: ``(converted file, source format)``, e.g.
        ``'original ST-GCN'`` or ``'MMAction2 ST-GCN'``; None
        when nothing changed.
    """
    source = cfg.get('load_from')
    if not source or cfg.get('resume') or not osp.isfile(str(source)):
        return None
    obj = load_checkpoint_file(source, map_location='cpu', trusted=trusted)
    name = osp.splitext(osp.basename(source))[0]
    out_file = osp.join(cfg.work_dir, f'converted_{name}.pth')
    if is_original_stgcn_state_dict(obj):
        checkpoint = save_converted_checkpoint(
            obj, source, out_file, cfg.model, skip_mismatched_head=training)
        source_format = 'original ST-GCN'
    elif mmaction_state_dict_of(obj) is not None:
        checkpoint = convert_mmaction_checkpoint(
            mmaction_state_dict_of(obj), source, out_file, cfg.model,
            skip_mismatched_head=training)
        source_format = checkpoint['meta']['source_format']
    else:
        return None
    skipped = checkpoint['meta']['not_converted']
    if skipped:
        print_log(
            f'{source}: the classifier has another number of classes; '
            f'{", ".join(skipped)} keep their initial values (fine-tuning)',
            logger='current', level=logging.WARNING)
    cfg.load_from = out_file
    return out_file, source_format
