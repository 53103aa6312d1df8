"""``--load-from`` (and ``tools/test.py``'s checkpoint) in a foreign format,
converted on the fly.

The format is found by :func:`~stgcn_reg.checkpoints.formats.detect_format`
and converted by its ``save_as_ours``; our own checkpoints are left to
mmengine.
"""
import logging
import os.path as osp
from typing import Optional, Tuple

from mmengine.config import Config
from mmengine.logging import print_log

from stgcn_reg.checkpoints.formats import detect_format
from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.checkpoints.state_dicts import state_dict_in


def convert_original_load_from(cfg: Config,
                               trusted: bool = False,
                               training: bool = False) -> Optional[str]:
    """Point ``cfg.load_from`` at a converted copy of a foreign checkpoint.

    When ``cfg.load_from`` (not a resume) is an original ST-GCN state dict
    or an MMAction2/PYSKL ST-GCN (or ST-GCN++) checkpoint, it is converted for
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
        ``'original ST-GCN'``, ``'MMAction2 ST-GCN'`` or ``'MMAction2
        ST-GCN++'``; None when nothing changed.
    """
    source = cfg.get('load_from')
    if not source or cfg.get('resume') or not osp.isfile(str(source)):
        return None
    obj = load_checkpoint_file(source, map_location='cpu', trusted=trusted)
    fmt = detect_format(obj)
    if fmt is None or fmt.save_as_ours is None:
        return None
    state_dict = state_dict_in(obj)
    name = osp.splitext(osp.basename(source))[0]
    out_file = osp.join(cfg.work_dir, f'converted_{name}.pth')
    checkpoint = fmt.save_as_ours(state_dict, source, out_file, cfg.model,
                                  skip_mismatched_head=training)
    skipped = checkpoint['meta']['not_converted']
    if skipped:
        print_log(
            f'{source}: the classifier has another number of classes; '
            f'{", ".join(skipped)} keep their initial values (fine-tuning)',
            logger='current', level=logging.WARNING)
    cfg.load_from = out_file
    return out_file, fmt.describe(state_dict)
