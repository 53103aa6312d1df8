"""Class ranking for top-k accuracy and predictions, ties by class index.

Classes are ordered by score, highest first; equal scores are ordered by
class index, lower first: the order of a stable sort of ``-scores``
(``torch.topk`` promises no order among ties). A tie is therefore a hit
for one of the tied classes only, the lowest-indexed, so a model giving
every class the same score scores chance (k / num_classes over balanced
labels), not 100%; the original ST-GCN tool (``l in argsort()[-k:]``)
also counts one hit per tie. NaN ranks below every number.
"""
import numpy as np


def _rankable(scores: np.ndarray) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    return np.where(np.isnan(scores), -np.inf, scores)


def label_ranks(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """0-based rank of each row's true class in ``(N, K)`` ``scores``."""
    scores = _rankable(scores)
    labels = np.asarray(labels, dtype=np.int64)
    rows = np.arange(len(labels))
    true_scores = scores[rows, labels][:, np.newaxis]
    lower_index = np.arange(scores.shape[1]) < labels[:, np.newaxis]
    above = (scores > true_scores) | ((scores == true_scores) & lower_index)
    return above.sum(axis=1)


def top_classes(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best of ``(K,)`` ``scores``, best first."""
    return np.argsort(-_rankable(scores), kind='stable')[:k]
