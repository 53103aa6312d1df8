"""What mmengine's Runner uses at run time: wrappers, hooks, the runner."""
from stgcn_reg.engine.model_wrappers import DeviceAwareDDP
from stgcn_reg.engine.optim_wrappers import CPUAmpOptimWrapper
from stgcn_reg.engine.safe_runner import SafeRunner

__all__ = ['CPUAmpOptimWrapper', 'DeviceAwareDDP', 'SafeRunner']
