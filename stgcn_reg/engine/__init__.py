"""What mmengine's Runner uses at run time: wrappers, hooks, the runner,
the visualizer."""
from stgcn_reg.engine.lazy_figure_visualizer import LazyFigureVisualizer
from stgcn_reg.engine.model_wrappers import DeviceAwareDDP
from stgcn_reg.engine.optim_wrappers import CPUAmpOptimWrapper
from stgcn_reg.engine.safe_runner import SafeRunner

__all__ = [
    'CPUAmpOptimWrapper', 'DeviceAwareDDP', 'LazyFigureVisualizer',
    'SafeRunner'
]
