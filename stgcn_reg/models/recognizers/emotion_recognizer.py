"""Recognizer of emotion categories and/or dimensions from skeletons."""
from typing import Any, Dict, Optional

import torch
from torch import nn

from stgcn_reg.registry import MODELS

from .base_recognizer import BaseSkeletonRecognizer, Columns
from .data_sample import DataSamples, SampleBatch

# head attribute -> (ground-truth key, prediction key) of SkeletonSample
_HEAD_KEYS = {
    'category_head': ('categories', 'category_scores'),
    'dimension_head': ('dimensions', 'dimension_scores'),
}


@MODELS.register_module()
class EmotionRecognizer(BaseSkeletonRecognizer):
    """A skeleton backbone with a category head, a dimension head or both.

    ``data_samples`` is the collated dict of a batch (a
    :class:`~.data_sample.SampleBatch`): ``categories`` ``(N, K)`` scores
    in [0, 1] and/or ``dimensions`` ``(N, D)`` ratings (as
    :class:`BoldDataset` yields them), optionally ``index`` and
    ``sample_name``. The loss is the sum of the heads' weighted losses
    (``loss_category``, ``loss_dimension``; set each head's
    ``loss_weight``).

    ``tensor`` mode returns the raw outputs per head (``category_head``:
    logits, ``dimension_head``: ratings scaled to [0, 1]); ``predict`` one
    :class:`~.data_sample.SkeletonSample` per sample with
    ``category_scores`` (probabilities) and/or ``dimension_scores``
    (ratings), the ground truth when given, and ``scores`` (the category
    probabilities, else the ratings) for score dumps.

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='STGCN', ...)``.
        category_head (dict, optional): e.g. ``dict(type='MultiLabelHead',
            num_classes=26)``.
        dimension_head (dict, optional): e.g. ``dict(type='RegressionHead',
            num_outputs=3)``.
        data_preprocessor, init_cfg: As :class:`BaseSkeletonRecognizer`'s.

    Examples:
        >>> model = MODELS.build(dict(
        ...     type='EmotionRecognizer',
        ...     backbone=dict(type='STGCN', graph_cfg=dict(
        ...         type='Graph', layout='openpose')),
        ...     category_head=dict(type='MultiLabelHead', num_classes=26),
        ...     dimension_head=dict(type='RegressionHead', num_outputs=3)))
        >>> {k: v.shape for k, v in model(torch.zeros(2, 3, 16, 18, 1)
        ...                                ).items()}
        {'category_head': torch.Size([2, 26]), 'dimension_head': \
torch.Size([2, 3])}
    """

    def __init__(self,
                 backbone: dict,
                 category_head: Optional[dict] = None,
                 dimension_head: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor, init_cfg)
        if category_head is None and dimension_head is None:
            raise ValueError('EmotionRecognizer needs a category_head, a '
                             'dimension_head or both; got neither')
        self.backbone = MODELS.build(backbone)
        self.category_head = (
            MODELS.build(category_head) if category_head else None)
        self.dimension_head = (
            MODELS.build(dimension_head) if dimension_head else None)

    def _heads(self) -> Dict[str, nn.Module]:
        return {name: getattr(self, name) for name in _HEAD_KEYS
                if getattr(self, name) is not None}

    def predict_scores(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The raw output of each head, by head name."""
        feats = self.backbone(inputs)
        return {name: head(feats) for name, head in self._heads().items()}

    def loss(self, inputs: torch.Tensor,
             data_samples: DataSamples) -> Dict[str, torch.Tensor]:
        """Each head's weighted loss against its targets."""
        outputs = self.predict_scores(inputs)
        losses: Dict[str, torch.Tensor] = {}
        for name, head in self._heads().items():
            targets = self.targets(
                data_samples, _HEAD_KEYS[name][0],
                user=f'loss mode of the {name}',
                hint=' (the dataset gives none: is it an unlabelled split?)')
            losses.update(head.loss(outputs[name], targets))
        return losses

    def result_columns(self, outputs: Dict[str, torch.Tensor],
                       samples: SampleBatch) -> Columns:
        """Each head's predictions and targets; ``scores`` for dumps."""
        columns: Dict[str, Any] = {}
        for name, head in self._heads().items():
            truth_key, pred_key = _HEAD_KEYS[name]
            columns[pred_key] = head.predict(
                outputs[name]).detach().float().cpu()
            if truth_key in samples:
                columns[truth_key] = samples[truth_key].detach().float().cpu()
        columns['scores'] = columns.get('category_scores',
                                        columns.get('dimension_scores'))
        return columns
