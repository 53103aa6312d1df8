"""Checkpoint files: safe loading, foreign formats, released models."""
from stgcn_reg.checkpoints.mmaction_export import (
    infer_stgcn_model_cfg,
    mmaction_graph_cfg,
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.mmaction_stgcn import (
    MMActionCheckpointMismatchError,
    convert_mmaction_state_dict,
    is_mmaction_stgcn_state_dict,
    matching_layouts,
    mmaction_keys_for,
)
from stgcn_reg.checkpoints.original_stgcn import (
    OriginalCheckpointMismatchError,
    convert_original_state_dict,
    is_original_stgcn_state_dict,
    original_key_for,
    strip_module_prefix,
)
from stgcn_reg.checkpoints.safe_loading import (
    UnsafeCheckpointError,
    allow_mmengine_checkpoints,
    install_safe_checkpoint_loader,
    load_checkpoint_file,
)

__all__ = [
    'MMActionCheckpointMismatchError', 'OriginalCheckpointMismatchError',
    'UnsafeCheckpointError', 'allow_mmengine_checkpoints',
    'convert_mmaction_state_dict', 'convert_original_state_dict',
    'infer_stgcn_model_cfg', 'install_safe_checkpoint_loader',
    'is_mmaction_stgcn_state_dict', 'is_original_stgcn_state_dict',
    'load_checkpoint_file', 'matching_layouts', 'mmaction_graph_cfg',
    'mmaction_keys_for', 'original_key_for', 'strip_module_prefix',
    'to_mmaction_state_dict'
]
