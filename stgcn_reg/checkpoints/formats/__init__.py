"""The checkpoint formats and :func:`detect_format`, which tells them apart.

:data:`FORMATS` lists one :class:`CheckpointFormat` per format, in the
order they are tried: the original ST-GCN, MMAction2/PYSKL, then ours
(any state dict of tensors).
"""
from typing import Any, Mapping, Optional, Tuple

from stgcn_reg.checkpoints.formats import mmaction, original_stgcn, ours
from stgcn_reg.checkpoints.formats.checkpoint_format import CheckpointFormat
from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.checkpoints.state_dicts import state_dict_in

FORMATS: Tuple[CheckpointFormat, ...] = tuple(
    CheckpointFormat.of(module) for module in (original_stgcn, mmaction, ours))
ORIGINAL_STGCN, MMACTION, OURS = FORMATS


def detect_format(obj: Any) -> Optional[CheckpointFormat]:
    """The first format of :data:`FORMATS` that ``obj`` (a loaded file) is
    in, or None for none of them."""
    return next((fmt for fmt in FORMATS if fmt.detect(obj)), None)


def read_state_dict(filename: str, fmt: CheckpointFormat,
                    trusted: bool = False) -> Optional[Mapping[str, Any]]:
    """The state dict in ``filename`` when the file is in ``fmt``, else
    None (loaded safely, on the CPU)."""
    obj = load_checkpoint_file(filename, map_location='cpu', trusted=trusted)
    return state_dict_in(obj) if detect_format(obj) is fmt else None


__all__ = [
    'FORMATS', 'MMACTION', 'ORIGINAL_STGCN', 'OURS', 'CheckpointFormat',
    'detect_format', 'read_state_dict'
]
