"""Top-k accuracy, mean class accuracy and mean loss of a classifier."""
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from stgcn_reg.registry import METRICS

from .topk import label_ranks


@METRICS.register_module()
class Accuracy(BaseMetric):
    """Single-label accuracy over the whole evaluation set.

    Reports ``top{k}`` for every k in ``topk`` (in percent, as the original
    ST-GCN tool prints), ``mean_class_accuracy`` (top-1 averaged over the
    classes present) and ``mean_loss`` (mean cross-entropy) when the model
    returned per-sample losses.

    Tied scores are ranked by class index, lower first (a stable sort of
    ``-score``): a tie is no hit unless the true class is the
    lowest-indexed of the tied ones, so a model scoring every class alike
    gets chance, not 100% (see :mod:`.topk`).

    Args:
        topk (int | sequence of int): The k of top-k accuracy.
            Defaults to (1, 5).
        collect_device (str): Where results are gathered across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names, e.g.
            ``acc/top1``. Defaults to ``'acc'``.
    """

    default_prefix = 'acc'

    def __init__(self,
                 topk: Union[int, Sequence[int]] = (1, 5),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        if not self.topk or any(k < 1 for k in self.topk):
            raise ValueError(f'Accuracy: topk must be positive, got {topk}')

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep scores, label and loss of each predicted sample."""
        for sample in data_samples:
            if 'label' not in sample:
                raise ValueError(
                    'Accuracy needs ground-truth labels; the evaluated '
                    'samples have none')
            self.results.append(
                dict(
                    scores=sample['scores'].numpy(),
                    label=sample['label'],
                    loss=sample.get('loss')))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Turn the gathered per-sample results into metrics."""
        scores = np.stack([result['scores'] for result in results])
        labels = np.array([result['label'] for result in results])
        metrics = self.calculate(scores, labels, self.topk)
        losses = [result['loss'] for result in results]
        if all(loss is not None for loss in losses):
            metrics['mean_loss'] = float(np.mean(losses))
        return metrics

    @staticmethod
    def calculate(scores: Union[np.ndarray, torch.Tensor],
                  labels: Union[np.ndarray, torch.Tensor],
                  topk: Sequence[int] = (1, 5)) -> Dict[str, float]:
        """Top-k accuracies and mean class accuracy, in percent.

        Args:
            scores (array): ``(N, num_classes)`` class scores.
            labels (array): ``(N,)`` class indices.
            topk (sequence of int): The k values. A k larger than the class
                count counts every sample as correct. Ties are ranked by
                class index, lower first.

        Returns:
            dict: ``top{k}`` for each k and ``mean_class_accuracy``.
        """
        scores = np.asarray(scores, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        if scores.ndim != 2 or scores.shape[0] != labels.shape[0]:
            raise ValueError(
                'Accuracy.calculate expects scores (N, num_classes) and '
                f'labels (N,), got {scores.shape} and {labels.shape}')
        rank = label_ranks(scores, labels)
        metrics = {f'top{k}': float((rank < k).mean() * 100) for k in topk}
        top1 = rank == 0
        per_class = [top1[labels == c].mean() for c in np.unique(labels)]
        metrics['mean_class_accuracy'] = float(np.mean(per_class) * 100)
        return metrics
