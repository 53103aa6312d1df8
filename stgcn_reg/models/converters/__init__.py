"""Converters from other ST-GCN implementations' checkpoints."""
from .original_stgcn import (
    OriginalCheckpointMismatchError,
    convert_original_state_dict,
    is_original_stgcn_state_dict,
    original_key_for,
    strip_module_prefix,
)

__all__ = [
    'OriginalCheckpointMismatchError', 'convert_original_state_dict',
    'is_original_stgcn_state_dict', 'original_key_for', 'strip_module_prefix'
]
