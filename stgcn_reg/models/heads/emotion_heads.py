"""Emotion heads: multi-label categories (BCE) and continuous dimensions.

Both pool features and apply dropout and a linear layer, as
:class:`ClsHead` (:class:`PooledLinearHead`).
"""
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F

from stgcn_reg.registry import MODELS

from .pooled_linear_head import PooledLinearHead

TARGETS = ('scores', 'binary')
REGRESSION_LOSSES = ('l1', 'mse')


def positive_class_weights(categories: np.ndarray,
                           threshold: float = 0.5,
                           max_weight: float = 10.0) -> np.ndarray:
    """BCE ``pos_weight`` per category: negatives / positives, clipped.

    A category with no positive sample gets ``max_weight``.

    Args:
        categories (array): ``(N, K)`` scores; ``>= threshold`` is positive.
        threshold (float): Binarising threshold. Defaults to 0.5.
        max_weight (float): Upper (and ``1 / max_weight`` lower) bound.
            Defaults to 10.

    Returns:
        np.ndarray: ``(K,)`` float32 weights.
    """
    positive = (np.asarray(categories) >= threshold).sum(axis=0)
    negative = len(categories) - positive
    ratio = np.where(positive > 0, negative / np.maximum(positive, 1),
                     max_weight)
    return np.clip(ratio, 1.0 / max_weight, max_weight).astype(np.float32)


@MODELS.register_module()
class MultiLabelHead(PooledLinearHead):
    """Multi-label classification head trained with BCE-with-logits.

    Args:
        num_classes (int): Number of categories. Defaults to 26 (BOLD).
        in_channels (int): Feature channels. Defaults to 256.
        dropout (float): Dropout before the classifier. Defaults to 0.
        target (str): ``'scores'`` trains on the soft scores in [0, 1]
            (e.g. the share of annotators); ``'binary'`` on
            ``score >= threshold``. Defaults to ``'scores'``.
        threshold (float): Binarising threshold of ``'binary'`` and of the
            label frequencies of ``pos_weight``. Defaults to 0.5.
        pos_weight (sequence of float | str, optional): BCE weight of the
            positive term per category; a string is a BOLD label file
            (e.g. ``train_label.pkl``) whose label frequencies give
            :func:`positive_class_weights`. Defaults to None (all 1).
        max_pos_weight (float): Bound of the weights computed from a label
            file. Defaults to 10.
        loss_weight (float): Scale of the loss. Defaults to 1.
        init_std (float): Std of the classifier's normal init.
            Defaults to 0.02.

    Examples:
        >>> head = MultiLabelHead(num_classes=26, in_channels=16)
        >>> head(torch.zeros(2, 1, 16, 4, 18)).shape
        torch.Size([2, 26])
    """

    loss_key = 'loss_category'

    def __init__(self,
                 num_classes: int = 26,
                 in_channels: int = 256,
                 dropout: float = 0.0,
                 target: str = 'scores',
                 threshold: float = 0.5,
                 pos_weight: Optional[Union[Sequence[float], str]] = None,
                 max_pos_weight: float = 10.0,
                 loss_weight: float = 1.0,
                 init_std: float = 0.02) -> None:
        super().__init__(num_classes, in_channels, dropout, init_std,
                         loss_weight)
        if target not in TARGETS:
            raise ValueError(f'MultiLabelHead: target must be one of '
                             f'{TARGETS}, got {target!r}')
        self.num_classes = num_classes
        self.target = target
        self.threshold = threshold
        weight = self._pos_weight(pos_weight, max_pos_weight)
        # not saved: a checkpoint loads into a config without pos_weight
        self.register_buffer('pos_weight', weight, persistent=False)

    def _pos_weight(self, pos_weight: Optional[Union[Sequence[float], str]],
                    max_weight: float) -> Optional[torch.Tensor]:
        if pos_weight is None:
            return None
        if isinstance(pos_weight, str):
            from stgcn_reg.datasets.readers.bold_labels import (
                load_bold_labels,
            )
            labels = load_bold_labels(pos_weight)
            if 'categories' not in labels:
                raise ValueError(f'MultiLabelHead: pos_weight file '
                                 f'{pos_weight!r} holds no categories')
            pos_weight = positive_class_weights(labels['categories'],
                                                self.threshold, max_weight)
        weight = torch.as_tensor(np.asarray(pos_weight, np.float32))
        if weight.shape != (self.num_classes, ):
            raise ValueError(
                f'MultiLabelHead: pos_weight has shape {tuple(weight.shape)}'
                f', expected ({self.num_classes},)')
        return weight

    def _targets(self, logits: torch.Tensor,
                 scores: torch.Tensor) -> torch.Tensor:
        scores = self._check_targets(logits, scores)
        if self.target == 'binary':
            return (scores >= self.threshold).to(logits.dtype)
        return scores

    def loss(self, logits: torch.Tensor,
             scores: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Weighted BCE of logits ``(N, K)`` against scores ``(N, K)``."""
        return self.weighted_loss(F.binary_cross_entropy_with_logits(
            logits, self._targets(logits, scores), pos_weight=self.pos_weight))

    def sample_losses(self, logits: torch.Tensor,
                      scores: torch.Tensor) -> torch.Tensor:
        """Per-sample BCE (mean over categories), unweighted by loss_weight."""
        return F.binary_cross_entropy_with_logits(
            logits, self._targets(logits, scores),
            pos_weight=self.pos_weight, reduction='none').mean(dim=1)

    def predict(self, logits: torch.Tensor) -> torch.Tensor:
        """Category probabilities ``(N, K)``."""
        return logits.sigmoid()


@MODELS.register_module()
class RegressionHead(PooledLinearHead):
    """Regression head of continuous ratings, e.g. valence/arousal/dominance.

    Ratings in ``value_range`` are scaled to [0, 1] (``(v - low) / (high -
    low)``, i.e. ``(v - 1) / 9`` for BOLD) for the loss; the head predicts
    in that scale and :meth:`predict` maps back to ratings.

    Args:
        num_outputs (int): Number of dimensions. Defaults to 3.
        in_channels (int): Feature channels. Defaults to 256.
        dropout (float): Dropout before the regressor. Defaults to 0.
        loss (str): ``'l1'`` or ``'mse'``. Defaults to ``'l1'``.
        value_range (tuple of float): Rating range. Defaults to (1, 10).
        loss_weight (float): Scale of the loss. Defaults to 1.
        init_std (float): Std of the regressor's normal init.
            Defaults to 0.02.

    Examples:
        >>> head = RegressionHead(in_channels=16)
        >>> head.predict(head(torch.zeros(2, 1, 16, 4, 18))).shape
        torch.Size([2, 3])
    """

    loss_key = 'loss_dimension'

    def __init__(self,
                 num_outputs: int = 3,
                 in_channels: int = 256,
                 dropout: float = 0.0,
                 loss: str = 'l1',
                 value_range: Tuple[float, float] = (1.0, 10.0),
                 loss_weight: float = 1.0,
                 init_std: float = 0.02) -> None:
        super().__init__(num_outputs, in_channels, dropout, init_std,
                         loss_weight)
        if loss not in REGRESSION_LOSSES:
            raise ValueError(f'RegressionHead: loss must be one of '
                             f'{REGRESSION_LOSSES}, got {loss!r}')
        low, high = (float(v) for v in value_range)
        if not high > low:
            raise ValueError(f'RegressionHead: value_range must be (low, '
                             f'high) with high > low, got {value_range}')
        self.num_outputs = num_outputs
        self.loss_type = loss
        self.low, self.high = low, high

    def scale(self, values: torch.Tensor) -> torch.Tensor:
        """Ratings to the [0, 1] scale the head predicts in."""
        return (values - self.low) / (self.high - self.low)

    def _errors(self, preds: torch.Tensor,
                values: torch.Tensor) -> torch.Tensor:
        target = self.scale(self._check_targets(preds, values))
        if self.loss_type == 'l1':
            return F.l1_loss(preds, target, reduction='none')
        return F.mse_loss(preds, target, reduction='none')

    def loss(self, preds: torch.Tensor,
             values: torch.Tensor) -> Dict[str, torch.Tensor]:
        """L1 / MSE of scaled predictions ``(N, D)`` against ratings."""
        return self.weighted_loss(self._errors(preds, values).mean())

    def sample_losses(self, preds: torch.Tensor,
                      values: torch.Tensor) -> torch.Tensor:
        """Per-sample loss (mean over dimensions)."""
        return self._errors(preds, values).mean(dim=1)

    def predict(self, preds: torch.Tensor) -> torch.Tensor:
        """Predicted ratings ``(N, D)`` in ``value_range`` units."""
        return self.low + (self.high - self.low) * preds
