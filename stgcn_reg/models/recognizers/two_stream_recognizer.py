"""Two-stream ST-GCN: skeletons and their motion, logits summed."""
from typing import Any, Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from stgcn_reg.registry import MODELS

from .skeleton_recognizer import DataSamples, SkeletonRecognizer


def motion_input(x: torch.Tensor) -> torch.Tensor:
    """Second difference along time of skeletons ``(N, C, T, V, M)``.

    ``m[t] = x[t] - 0.5 * x[t + 1] - 0.5 * x[t - 1]``, with zero frames at
    both ends, as the reference two-stream model computes it (there only
    on CUDA; here on any device and dtype).
    """
    if x.dim() != 5:
        raise ValueError('motion_input expects (N, C, T, V, M), got shape '
                         f'{tuple(x.shape)}')
    motion = torch.zeros_like(x)
    motion[:, :, 1:-1] = (
        x[:, :, 1:-1] - 0.5 * x[:, :, 2:] - 0.5 * x[:, :, :-2])
    return motion


@MODELS.register_module()
class TwoStreamRecognizer(BaseModel):
    """Two identical ST-GCN streams on skeletons and on their motion.

    As the reference ``st_gcn_twostream``: the ``origin`` stream sees the
    input, the ``motion`` stream its :func:`motion_input`, and the logits
    are summed. Each stream is a :class:`SkeletonRecognizer` built from the
    same ``backbone`` and ``cls_head`` configs (with its own weights). The
    loss is the first head's cross-entropy of the summed logits.

    Args:
        backbone (dict): Backbone config of both streams.
        cls_head (dict): Head config of both streams.
        data_preprocessor (dict, optional): mmengine data preprocessor
            config. Defaults to None (moves the batch to the device).
        init_cfg (dict, optional): mmengine init config. Defaults to None.

    Examples:
        >>> model = MODELS.build(dict(
        ...     type='TwoStreamRecognizer',
        ...     backbone=dict(type='STGCN', graph_cfg=dict(
        ...         type='Graph', layout='openpose')),
        ...     cls_head=dict(type='ClsHead', num_classes=400)))
        >>> model(torch.zeros(2, 3, 16, 18, 2)).shape
        torch.Size([2, 400])
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.origin = SkeletonRecognizer(backbone, cls_head)
        self.motion = SkeletonRecognizer(backbone, cls_head)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: DataSamples = None,
                mode: str = 'tensor'
                ) -> Union[torch.Tensor, Dict[str, torch.Tensor],
                           List[Dict[str, Any]]]:
        """Run in mmengine's ``tensor``, ``loss`` or ``predict`` mode.

        Returns summed logits ``(N, num_classes)`` for ``tensor``, a loss
        dict for ``loss`` and one result dict per sample for ``predict``,
        in the format of :class:`SkeletonRecognizer`.
        """
        if mode not in ('tensor', 'loss', 'predict'):
            raise ValueError(f'unknown forward mode {mode!r}; expected '
                             "'tensor', 'loss' or 'predict'")
        logits = self.origin(inputs) + self.motion(motion_input(inputs))
        if mode == 'tensor':
            return logits
        # the streams' heads are built from one config: either scores the
        # sum the same way
        if mode == 'loss':
            return self.origin.cls_head.loss(
                logits, SkeletonRecognizer._labels(data_samples))
        return self.origin._predictions(logits, data_samples)
