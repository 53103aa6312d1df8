"""Recognizer joining a skeleton backbone and a head for mmengine."""
import math
from typing import Dict, Optional

import torch
import torch.nn.functional as F

from stgcn_reg.registry import MODELS

from .base_recognizer import (
    BaseSkeletonRecognizer,
    Columns,
    classification_columns,
)
from .data_sample import DataSamples, SampleBatch

# how the scores of a sample's clips are averaged
AVERAGE_CLIPS = ('prob', 'score')
# which clips of a multi-clip sample are trained on
TRAIN_CLIPS = ('all', 'first', 'single')


@MODELS.register_module()
class SkeletonRecognizer(BaseSkeletonRecognizer):
    """Skeleton action recognizer: ``head(backbone(inputs))``.

    ``data_samples`` is the collated dict of a batch (a
    :class:`~.data_sample.SampleBatch`): ``label`` (N,) class indices and,
    optionally, ``index`` and ``sample_name``. ``tensor`` mode returns
    logits ``(N, num_classes)`` (clip-averaged scores for multi-clip
    inputs), ``loss`` a loss dict and ``predict`` one
    :class:`~.data_sample.SkeletonSample` per sample with ``scores`` and,
    with labels, ``label`` and ``loss``.

    Inputs are skeletons ``(N, C, T, V, M)`` or, for several clips per
    sample (``UniformSampleFrames(num_clips=...)``), ``(N, num_clips, C,
    T, V, M)``. Every clip goes through the model on its own. In ``loss``
    mode the clips trained on are as ``train_clips`` says:

    - ``'all'`` (default): each clip is a training sample with its
      sample's label.
    - ``'first'``: only each sample's first clip.
    - ``'single'`` (PYSKL's ``RecognizerGCN``, which asserts one clip and
      trains on it): a sample must have one clip; a multi-clip training
      batch is an error. MMAction2 1.2.0's
      ``RecognizerGCN`` fails on one too: it flattens the clips, but its
      head's loss then gets more scores than labels.

    In ``tensor`` and ``predict`` mode a sample's clip scores are
    averaged as ``average_clips`` says:

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
        data_preprocessor, init_cfg: As :class:`BaseSkeletonRecognizer`'s.
        average_clips (str): ``'prob'`` or ``'score'``, see above.
            Defaults to ``'prob'``. Single-clip inputs are not affected.
        train_clips (str): ``'all'``, ``'first'`` or ``'single'``, see
            above. Defaults to ``'all'``.

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
                 average_clips: str = 'prob',
                 train_clips: str = 'all') -> None:
        super().__init__(data_preprocessor, init_cfg)
        if average_clips not in AVERAGE_CLIPS:
            raise ValueError(
                f'SkeletonRecognizer: average_clips must be one of '
                f'{AVERAGE_CLIPS}, got {average_clips!r}')
        if train_clips not in TRAIN_CLIPS:
            raise ValueError(
                f'SkeletonRecognizer: train_clips must be one of '
                f'{TRAIN_CLIPS}, got {train_clips!r}')
        self.average_clips = average_clips
        self.train_clips = train_clips
        self.backbone = MODELS.build(backbone)
        self.cls_head = MODELS.build(cls_head)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Backbone features ``(N, M, C, T, V)`` of skeletons."""
        return self.backbone(inputs)

    def predict_scores(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)``, clip-averaged for multi-clip input."""
        if inputs.dim() != 6:
            return self.cls_head(self.extract_feat(inputs))
        num_clips = inputs.shape[1]
        logits = self.cls_head(self.extract_feat(inputs.flatten(0, 1)))
        return self.average_clip_scores(
            logits.view(-1, num_clips, logits.shape[-1]))

    def loss(self, inputs: torch.Tensor,
             data_samples: DataSamples) -> Dict[str, torch.Tensor]:
        """Cross-entropy of the clips ``train_clips`` picks against their
        sample's label."""
        labels = self.labels(data_samples)
        if inputs.dim() == 6:
            num_clips = inputs.shape[1]
            if self.train_clips == 'single' and num_clips != 1:
                raise ValueError(
                    f"SkeletonRecognizer: train_clips='single' (PYSKL's) "
                    f'trains on one clip per sample, got inputs of shape '
                    f'{tuple(inputs.shape)} with num_clips={num_clips}; '
                    'sample one training clip or use train_clips='
                    "'all' / 'first'")
            if self.train_clips == 'all':
                labels = labels.repeat_interleave(num_clips)
                inputs = inputs.flatten(0, 1)  # (N * num_clips, C, T, V, M)
            else:
                inputs = inputs[:, 0]
        return self.cls_head.loss(
            self.cls_head(self.extract_feat(inputs)), labels)

    def result_columns(self, outputs: torch.Tensor,
                       samples: SampleBatch) -> Columns:
        """Scores, and with labels each sample's label and loss."""
        return classification_columns(self.cls_head, outputs, samples)

    def average_clip_scores(self, logits: torch.Tensor) -> torch.Tensor:
        """Average ``(N, num_clips, K)`` clip logits to ``(N, K)`` scores.

        ``'prob'``: ``log(mean_clips(softmax(logits)))``; ``'score'``:
        ``mean_clips(logits)``.
        """
        if self.average_clips == 'score':
            return logits.mean(dim=1)
        log_probs = F.log_softmax(logits, dim=-1)
        return torch.logsumexp(log_probs, dim=1) - math.log(logits.shape[1])
