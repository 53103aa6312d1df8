"""Recognizer of emotion categories and/or dimensions from skeletons."""
from typing import Any, Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from stgcn_reg.registry import MODELS

DataSamples = Optional[Dict[str, Any]]
# head attribute -> (ground-truth key, prediction key)
_HEAD_KEYS = {
    'category_head': ('categories', 'category_scores'),
    'dimension_head': ('dimensions', 'dimension_scores'),
}


@MODELS.register_module()
class EmotionRecognizer(BaseModel):
    """A skeleton backbone with a category head, a dimension head or both.

    ``data_samples`` is the collated dict of a batch: ``categories``
    ``(N, K)`` scores in [0, 1] and/or ``dimensions`` ``(N, D)`` ratings
    (as :class:`BoldDataset` yields them), optionally ``index`` and
    ``sample_name``. The loss is the sum of the heads' weighted losses
    (``loss_category``, ``loss_dimension``; set each head's
    ``loss_weight``).

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='STGCN', ...)``.
        category_head (dict, optional): e.g. ``dict(type='MultiLabelHead',
            num_classes=26)``.
        dimension_head (dict, optional): e.g. ``dict(type='RegressionHead',
            num_outputs=3)``.
        data_preprocessor (dict, optional): mmengine data preprocessor
            config. Defaults to None (moves the batch to the device).
        init_cfg (dict, optional): mmengine init config. Defaults to None.

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
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if category_head is None and dimension_head is None:
            raise ValueError('EmotionRecognizer needs a category_head, a '
                             'dimension_head or both; got neither')
        self.backbone = MODELS.build(backbone)
        self.category_head = (
            MODELS.build(category_head) if category_head else None)
        self.dimension_head = (
            MODELS.build(dimension_head) if dimension_head else None)

    def _heads(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in _HEAD_KEYS
                if getattr(self, name) is not None}

    def forward(self,
                inputs: torch.Tensor,
                data_samples: DataSamples = None,
                mode: str = 'tensor'
                ) -> Union[Dict[str, torch.Tensor], List[Dict[str, Any]]]:
        """Run in mmengine's ``tensor``, ``loss`` or ``predict`` mode.

        ``tensor`` returns the raw outputs per head (``category_head``:
        logits, ``dimension_head``: ratings scaled to [0, 1]); ``loss`` a
        loss dict; ``predict`` one dict per sample with
        ``category_scores`` (probabilities) and/or ``dimension_scores``
        (ratings), the ground truth when given, and ``scores`` (the
        category probabilities, else the ratings) for score dumps.
        """
        if mode not in ('tensor', 'loss', 'predict'):
            raise ValueError(f'unknown forward mode {mode!r}; expected '
                             "'tensor', 'loss' or 'predict'")
        feats = self.backbone(inputs)
        outputs = {name: head(feats) for name, head in self._heads().items()}
        if mode == 'tensor':
            return outputs
        if mode == 'loss':
            losses: Dict[str, torch.Tensor] = {}
            for name, head in self._heads().items():
                losses.update(head.loss(outputs[name],
                                        self._targets(data_samples, name)))
            return losses
        return self._predictions(outputs, data_samples or {})

    @staticmethod
    def _targets(data_samples: DataSamples, head: str) -> torch.Tensor:
        key = _HEAD_KEYS[head][0]
        if not data_samples or key not in data_samples:
            raise ValueError(
                f'loss mode of the {head} needs data_samples with a "{key}" '
                'tensor (the dataset gives none: is it an unlabelled split?)')
        return data_samples[key]

    def _predictions(self, outputs: Dict[str, torch.Tensor],
                     samples: Dict[str, Any]) -> List[Dict[str, Any]]:
        columns: Dict[str, Any] = {}
        for name, head in self._heads().items():
            truth_key, pred_key = _HEAD_KEYS[name]
            columns[pred_key] = head.predict(
                outputs[name]).detach().float().cpu()
            if truth_key in samples:
                columns[truth_key] = samples[truth_key].detach().float().cpu()
        columns['scores'] = columns.get('category_scores',
                                        columns.get('dimension_scores'))
        results = []
        for i in range(len(columns['scores'])):
            result = {key: value[i] for key, value in columns.items()}
            for key in ('index', 'sample_name'):
                if key in samples:
                    value = samples[key][i]
                    result[key] = (
                        int(value) if torch.is_tensor(value) else value)
            results.append(result)
        return results
