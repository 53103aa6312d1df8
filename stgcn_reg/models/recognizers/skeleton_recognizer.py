"""Recognizer joining a skeleton backbone and a head for mmengine."""
from typing import Any, Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from stgcn_reg.registry import MODELS

DataSamples = Optional[Dict[str, Any]]


@MODELS.register_module()
class SkeletonRecognizer(BaseModel):
    """Skeleton action recognizer: ``head(backbone(inputs))``.

    ``data_samples`` is the collated dict of a batch: ``label`` (N,) class
    indices and, optionally, ``index`` and ``sample_name``.

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='STGCN', ...)``.
        cls_head (dict): Head config, e.g. ``dict(type='ClsHead', ...)``.
        data_preprocessor (dict, optional): mmengine data preprocessor
            config. Defaults to None (moves the batch to the device).
        init_cfg (dict, optional): mmengine init config. Defaults to None.

    Examples:
        >>> model = MODELS.build(dict(
        ...     type='SkeletonRecognizer',
        ...     backbone=dict(type='STGCN', graph_cfg=dict(
        ...         type='Graph', layout='ntu-rgb+d')),
        ...     cls_head=dict(type='ClsHead', num_classes=60)))
        >>> model(torch.zeros(2, 3, 16, 25, 2)).shape
        torch.Size([2, 60])
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.cls_head = MODELS.build(cls_head)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Backbone features ``(N, M, C, T, V)`` of skeletons."""
        return self.backbone(inputs)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: DataSamples = None,
                mode: str = 'tensor'
                ) -> Union[torch.Tensor, Dict[str, torch.Tensor],
                           List[Dict[str, Any]]]:
        """Run in mmengine's ``tensor``, ``loss`` or ``predict`` mode.

        Returns logits ``(N, num_classes)`` for ``tensor``, a loss dict for
        ``loss`` and one result dict per sample for ``predict``.
        """
        logits = self.cls_head(self.extract_feat(inputs))
        if mode == 'tensor':
            return logits
        if mode == 'loss':
            return self.cls_head.loss(logits, self._labels(data_samples))
        if mode == 'predict':
            return self._predictions(logits, data_samples)
        raise ValueError(f'unknown forward mode {mode!r}; expected '
                         "'tensor', 'loss' or 'predict'")

    @staticmethod
    def _labels(data_samples: DataSamples) -> torch.Tensor:
        if not data_samples or 'label' not in data_samples:
            raise ValueError('loss mode needs data_samples with a "label" '
                             'tensor of class indices')
        return data_samples['label']

    def _predictions(self, logits: torch.Tensor,
                     data_samples: DataSamples) -> List[Dict[str, Any]]:
        samples = data_samples or {}
        labels = samples.get('label')
        losses = (
            self.cls_head.sample_losses(logits, labels).detach()
            if labels is not None else None)
        results = []
        for i, scores in enumerate(logits.detach().float().cpu()):
            result: Dict[str, Any] = dict(scores=scores)
            if labels is not None:
                result['label'] = int(labels[i])
                result['loss'] = float(losses[i])
            for key in ('index', 'sample_name'):
                if key in samples:
                    value = samples[key][i]
                    result[key] = (
                        int(value) if torch.is_tensor(value) else value)
            results.append(result)
        return results
