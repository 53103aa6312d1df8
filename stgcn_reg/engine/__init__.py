"""Engine parts: DDP/optimizer wrappers, hooks, launch helpers."""
from .checkpoint_safety import allow_mmengine_checkpoints
from .model_wrappers import DeviceAwareDDP
from .optim_wrappers import CPUAmpOptimWrapper

__all__ = [
    'CPUAmpOptimWrapper', 'DeviceAwareDDP', 'allow_mmengine_checkpoints'
]
