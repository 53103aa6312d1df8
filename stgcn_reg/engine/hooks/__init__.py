"""Training hooks (registry location of HOOKS)."""
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import RandomStateHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = [
    'NonFiniteLossError', 'NonFiniteLossHook', 'RandomStateHook',
    'SafeCheckpointHook'
]
