"""Converters from other ST-GCN implementations' checkpoints."""
from .mmaction_export import (
    infer_stgcn_model_cfg,
    mmaction_graph_cfg,
    to_mmaction_state_dict,
)
from .mmaction_stgcn import (
    MMActionCheckpointMismatchError,
    convert_mmaction_state_dict,
    is_mmaction_stgcn_state_dict,
    matching_layouts,
    mmaction_keys_for,
)
from .original_stgcn import (
    OriginalCheckpointMismatchError,
    convert_original_state_dict,
    is_original_stgcn_state_dict,
    original_key_for,
    strip_module_prefix,
)

__all__ = [
    'MMActionCheckpointMismatchError', 'OriginalCheckpointMismatchError',
    'convert_mmaction_state_dict', 'convert_original_state_dict',
    'infer_stgcn_model_cfg', 'is_mmaction_stgcn_state_dict',
    'is_original_stgcn_state_dict', 'matching_layouts', 'mmaction_graph_cfg',
    'mmaction_keys_for', 'original_key_for', 'strip_module_prefix',
    'to_mmaction_state_dict'
]
