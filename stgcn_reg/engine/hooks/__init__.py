"""Training hooks (registry location of HOOKS)."""
from .data_model_check_hook import (
                                    CheckpointMismatchError,
                                    DataModelCheckHook,
                                    DataModelMismatchError,
                                    check_dataset_against_model,
)
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import RandomStateHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .sync_norm_stats_hook import SyncNormStatsHook

__all__ = [
    'CheckpointMismatchError', 'DataModelCheckHook', 'DataModelMismatchError',
    'NonFiniteLossError', 'NonFiniteLossHook', 'RandomStateHook',
    'SafeCheckpointHook', 'SyncNormStatsHook', 'check_dataset_against_model'
]
