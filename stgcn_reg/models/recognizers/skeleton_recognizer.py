"""Recognizer joining a skeleton backbone and a head for mmengine."""
import math
from typing import Any, Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel

from stgcn_reg.registry import MODELS

DataSamples = Optional[Dict[str, Any]]
# how the scores of a sample's clips are averaged
AVERAGE_CLIPS = ('prob', 'score')


@MODELS.register_module()
class SkeletonRecognizer(BaseModel):
    """Skeleton action recognizer: ``head(backbone(inputs))``.

    ``data_samples`` is the collated dict of a batch: ``label`` (N,) class
    indices and, optionally, ``index`` and ``sample_name``.

    Inputs are skeletons ``(N, C, T, V, M)`` or, for several clips per
    sample (``UniformSampleFrames(num_clips=...)``), ``(N, num_clips, C,
    T, V, M)``. Every clip goes through the model on its own. In ``loss``
    mode each clip is a training sample with its sample's label; in
    ``tensor`` and ``predict`` mode a sample's clip scores are averaged
    as ``average_clips`` says:

    - ``'prob'`` (PYSKL's test-time default): the mean of the clips'
      softmax probabilities, returned as its logarithm. The log keeps
      these scores usable like logits: their softmax is the mean
      probability, their argmax and top-k are those of the mean
      probability, and the evaluation loss (cross-entropy) is the negative
      log of the mean probability of the true class.
    - ``'score'``: the mean of the clips' logits.

    Args:
        backbone (dict): Backbone config, e.g. ``dict(type='STGCN', ...)``.
        cls_head (dict): Head config, e.g. ``dict(type='ClsHead', ...)``.
        data_preprocessor (dict, optional): mmengine data preprocessor
            config. Defaults to None (moves the batch to the device).
        init_cfg (dict, optional): mmengine init config. Defaults to None.
        average_clips (str): ``'prob'`` or ``'score'``, see above.
            Defaults to ``'prob'``. Single-clip inputs are not affected.

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
                 init_cfg: Optional[dict] = None,
                 average_clips: str = 'prob') -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if average_clips not in AVERAGE_CLIPS:
            raise ValueError(
                f'SkeletonRecognizer: average_clips must be one of '
                f'{AVERAGE_CLIPS}, got {average_clips!r}')
        self.average_clips = average_clips
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

        Returns logits ``(N, num_classes)`` for ``tensor`` (clip-averaged
        scores for multi-clip inputs), a loss dict for ``loss`` and one
        result dict per sample for ``predict``.
        """
        if mode not in ('tensor', 'loss', 'predict'):
            raise ValueError(f'unknown forward mode {mode!r}; expected '
                             "'tensor', 'loss' or 'predict'")
        num_clips = inputs.shape[1] if inputs.dim() == 6 else None
        if num_clips is not None:
            inputs = inputs.flatten(0, 1)  # (N * num_clips, C, T, V, M)
        logits = self.cls_head(self.extract_feat(inputs))
        if mode == 'loss':
            labels = self._labels(data_samples)
            if num_clips is not None:
                labels = labels.repeat_interleave(num_clips)
            return self.cls_head.loss(logits, labels)
        if num_clips is not None:
            logits = self.average_clip_scores(
                logits.view(-1, num_clips, logits.shape[-1]))
        if mode == 'tensor':
            return logits
        return self._predictions(logits, data_samples)

    def average_clip_scores(self, logits: torch.Tensor) -> torch.Tensor:
        """Average ``(N, num_clips, K)`` clip logits to ``(N, K)`` scores.

        ``'prob'``: ``log(mean_clips(softmax(logits)))``; ``'score'``:
        ``mean_clips(logits)``.
        """
        if self.average_clips == 'score':
            return logits.mean(dim=1)
        log_probs = F.log_softmax(logits, dim=-1)
        return torch.logsumexp(log_probs, dim=1) - math.log(logits.shape[1])

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
