"""Engine parts: DDP/optimizer wrappers, hooks, launch helpers."""
from .checkpoint_safety import (
                                UnsafeCheckpointError,
                                allow_mmengine_checkpoints,
                                install_safe_checkpoint_loader,
                                load_checkpoint_file,
)
from .config_checks import check_config, load_config
from .config_overrides import StrictDictAction
from .model_wrappers import DeviceAwareDDP
from .optim_wrappers import CPUAmpOptimWrapper

__all__ = [
    'CPUAmpOptimWrapper', 'DeviceAwareDDP', 'StrictDictAction',
    'UnsafeCheckpointError',
    'allow_mmengine_checkpoints', 'check_config',
    'install_safe_checkpoint_loader', 'load_checkpoint_file', 'load_config'
]
