"""mmengine's Visualizer with its matplotlib figure made on first drawing.

``Visualizer.__init__`` imports matplotlib and builds the figure it draws
images on: about 1 s at every start of tools/train.py and tools/test.py
(in each process of a distributed run), although training and testing
only log scalars through the vis backends. Here the figure, its axes,
canvas and dpi are made the first time one of them is read.
"""
from typing import Any, Optional

import numpy as np
from mmengine.visualization import Visualizer

from stgcn_reg.registry import VISUALIZERS


class _NotMadeYet:
    """Stands for the figure (and its dpi) while ``__init__`` runs."""

    def get_dpi(self) -> '_NotMadeYet':
        return self


_NOT_MADE = _NotMadeYet()


def _made_on_read(name: str) -> property:
    """An attribute of the saving figure, made when first read."""
    slot = f'_lazy_{name}'

    def get(self) -> Any:
        value = self.__dict__.get(slot, _NOT_MADE)
        if value is _NOT_MADE and not self.__dict__.get('_initialising'):
            self._make_figure()
            value = self.__dict__[slot]
        return value

    def set(self, value: Any) -> None:
        self.__dict__[slot] = value

    return property(get, set, doc=f'``Visualizer.{name}``, made on read.')


@VISUALIZERS.register_module()
class LazyFigureVisualizer(Visualizer):
    """:class:`mmengine.visualization.Visualizer`, the same arguments and
    drawing, with the figure for saving made on first use."""

    fig_save_canvas = _made_on_read('fig_save_canvas')
    fig_save = _made_on_read('fig_save')
    ax_save = _made_on_read('ax_save')
    dpi = _made_on_read('dpi')

    def __init__(self, name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Any = None, save_dir: Optional[str] = None,
                 fig_save_cfg: Optional[dict] = None,
                 fig_show_cfg: Optional[dict] = None) -> None:
        self.__dict__['_initialising'] = True
        try:  # mmengine's defaults: frameless figures
            super().__init__(name, None, vis_backends, save_dir,
                             fig_save_cfg or dict(frameon=False),
                             fig_show_cfg or dict(frameon=False))
        finally:
            del self.__dict__['_initialising']
        if image is not None:
            self.set_image(image)

    def _initialize_fig(self, fig_cfg: dict) -> tuple:
        if self.__dict__.get('_initialising'):
            return _NOT_MADE, _NOT_MADE, _NOT_MADE
        return super()._initialize_fig(fig_cfg)

    def _make_figure(self) -> None:
        canvas, figure, axes = super()._initialize_fig(self.fig_save_cfg)
        self.__dict__.update(_lazy_fig_save_canvas=canvas,
                             _lazy_fig_save=figure, _lazy_ax_save=axes,
                             _lazy_dpi=figure.get_dpi())
