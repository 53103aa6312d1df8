"""Two-stream ST-GCN: skeletons and their motion, logits summed."""
from typing import Dict, Optional

import torch

from stgcn_reg.registry import MODELS

from .base_recognizer import (
    BaseSkeletonRecognizer,
    Columns,
    classification_columns,
)
from .data_sample import DataSamples, SampleBatch
from .skeleton_recognizer import SkeletonRecognizer


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
class TwoStreamRecognizer(BaseSkeletonRecognizer):
    """Two identical ST-GCN streams on skeletons and on their motion.

    As the reference ``st_gcn_twostream``: the ``origin`` stream sees the
    input, the ``motion`` stream its :func:`motion_input`, and the logits
    are summed. Each stream is a :class:`SkeletonRecognizer` built from the
    same ``backbone`` and ``cls_head`` configs (with its own weights). The
    loss is the first head's cross-entropy of the summed logits; results
    are those of :class:`SkeletonRecognizer`.

    Args:
        backbone (dict): Backbone config of both streams.
        cls_head (dict): Head config of both streams.
        data_preprocessor, init_cfg: As :class:`BaseSkeletonRecognizer`'s.

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
        super().__init__(data_preprocessor, init_cfg)
        self.origin = SkeletonRecognizer(backbone, cls_head)
        self.motion = SkeletonRecognizer(backbone, cls_head)

    def predict_scores(self, inputs: torch.Tensor) -> torch.Tensor:
        """Summed logits ``(N, num_classes)`` of both streams."""
        return self.origin(inputs) + self.motion(motion_input(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: DataSamples) -> Dict[str, torch.Tensor]:
        """Cross-entropy of the summed logits (the streams' heads share one
        config: either scores the sum alike)."""
        labels = self.labels(data_samples)
        return self.origin.cls_head.loss(self.predict_scores(inputs), labels)

    def result_columns(self, outputs: torch.Tensor,
                       samples: SampleBatch) -> Columns:
        """Scores, and with labels each sample's label and loss."""
        return classification_columns(self.origin.cls_head, outputs, samples)
