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

__all__ = [
    'CheckpointMismatchError', 'DataModelCheckHook', 'DataModelMismatchError',
    'NonFiniteLossError', 'NonFiniteLossHook', 'RandomStateHook',
    'SafeCheckpointHook', 'check_dataset_against_model'
]
