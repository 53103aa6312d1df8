"""Score fusion of several models' ``tools/test.py --dump`` outputs.

A score dump (read by :func:`~.score_dump.load_score_dump`) holds one
model's scores in dataset order. Fusing the joint, bone and motion streams
is a weighted sum of their scores over the same samples.
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .metrics import Accuracy

NORMALIZATIONS = ('none', 'softmax')


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(N, K)`` scores, stable for large logits."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _check_same_samples(
    dumps: Sequence[Dict[str, Any]], sources: Sequence[str]
) -> None:
    """Raise unless every dump has the first one's samples, order, labels
    and class count."""
    first, first_source = dumps[0], sources[0]
    names = first['sample_names']
    for dump, source in zip(dumps[1:], sources[1:]):
        other = dump['sample_names']
        if len(other) != len(names):
            raise ValueError(
                f'{source} has {len(other)} samples but {first_source} has '
                f'{len(names)}; score fusion needs the same samples'
            )
        if other != names:
            index = next(
                i for i, (a, b) in enumerate(zip(names, other)) if a != b
            )
            hint = (
                ' (the same samples in another order: dump both in dataset '
                'order)'
                if sorted(other) == sorted(names)
                else ''
            )
            raise ValueError(
                f'sample {index} differs: {first_source} has '
                f'{names[index]!r} but {source} has {other[index]!r}{hint}'
            )
        if dump['scores'].shape[1] != first['scores'].shape[1]:
            raise ValueError(
                f'{source} has {dump["scores"].shape[1]} classes but '
                f'{first_source} has {first["scores"].shape[1]}'
            )
        differ = np.flatnonzero(dump['labels'] != first['labels'])
        if differ.size:
            index = differ[0]
            raise ValueError(
                f'label of sample {index} ({names[index]!r}) differs: '
                f'{first_source} has {first["labels"][index]} but {source} '
                f'has {dump["labels"][index]}'
            )


def _checked_weights(weights: Optional[Sequence[float]],
                     count: int) -> List[float]:
    """One finite weight >= 0 per dump, at least one positive (default 1)."""
    if weights is None:
        weights = [1.0] * count
    weights = [float(weight) for weight in weights]
    if len(weights) != count:
        raise ValueError(
            f'got {len(weights)} weights for {count} score dumps; give '
            'one weight per dump'
        )
    if not all(np.isfinite(w) and w >= 0 for w in weights) or not any(weights):
        raise ValueError(
            f'weights must be finite and >= 0, at least one positive, got '
            f'{weights}'
        )
    return weights


def _checked_sources(sources: Optional[Sequence[str]],
                     count: int) -> Sequence[str]:
    """One name per dump for the messages (default ``dump 0``, ...)."""
    if sources is None:
        sources = [f'dump {i}' for i in range(count)]
    if len(sources) != count:
        raise ValueError(
            f'got {len(sources)} sources for {count} score dumps'
        )
    return sources


def fuse_scores(
    dumps: Sequence[Dict[str, Any]],
    weights: Optional[Sequence[float]] = None,
    normalize: str = 'none',
    sources: Optional[Sequence[str]] = None,
) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Weighted sum of the class scores of several models.

    Args:
        dumps (sequence of dict): Score dumps as
            :func:`~.score_dump.load_score_dump` returns them, over the
            same samples in the same order.
        weights (sequence of float, optional): One finite weight >= 0 per
            dump, at least one positive. Defaults to all 1.
        normalize (str): ``'none'`` sums the raw scores (logits), the
            usual practice; ``'softmax'`` turns each model's scores into
            probabilities first. Defaults to ``'none'``.
        sources (sequence of str, optional): Names of the dumps for error
            messages, e.g. their paths. Defaults to ``dump 0``, ...

    Returns:
        tuple: ``(scores, labels, sample_names)``: float64 ``(N, K)``
        fused scores, int64 ``(N,)`` labels and the N sample names.

    Raises:
        ValueError: Bad weights or normalization, or the dumps differ in
            samples, order, class count or labels (the message names the
            first differing sample).
    """
    if not dumps:
        raise ValueError('score fusion needs at least one score dump')
    if normalize not in NORMALIZATIONS:
        raise ValueError(
            f'normalize must be one of {NORMALIZATIONS}, got {normalize!r}'
        )
    weights = _checked_weights(weights, len(dumps))
    sources = _checked_sources(sources, len(dumps))
    _check_same_samples(dumps, sources)
    fused = np.zeros_like(dumps[0]['scores'], dtype=np.float64)
    for dump, weight in zip(dumps, weights):
        scores = np.asarray(dump['scores'], dtype=np.float64)
        if normalize == 'softmax':
            scores = softmax(scores)
        fused += weight * scores
    labels = np.asarray(dumps[0]['labels'], dtype=np.int64)
    return fused, labels.copy(), list(dumps[0]['sample_names'])


def fusion_accuracy(
    scores: np.ndarray, labels: np.ndarray, topk: Sequence[int] = (1, 5)
) -> Dict[str, float]:
    """Top-k and mean class accuracy (percent) of fused or single scores.

    Args:
        scores (np.ndarray): ``(N, K)`` class scores.
        labels (np.ndarray): ``(N,)`` class indices.
        topk (sequence of int): The k values. Defaults to (1, 5).

    Returns:
        dict: ``top{k}`` for each k and ``mean_class_accuracy``, as
        :meth:`Accuracy.calculate` computes them.

    Raises:
        ValueError: Bad ``topk``, no samples, or some samples have no
            label (-1).
    """
    topk = tuple(topk)
    if not topk or not all(
        isinstance(k, (int, np.integer)) and k >= 1 for k in topk
    ):
        raise ValueError(f'topk must be integers >= 1, got {topk}')
    labels = np.asarray(labels)
    if labels.size == 0:
        raise ValueError('accuracy needs at least one sample')
    unlabeled = np.flatnonzero(labels < 0)
    if unlabeled.size:
        raise ValueError(
            f'{unlabeled.size} samples have no ground-truth label (-1), '
            f'e.g. sample {unlabeled[0]}; accuracy needs labels'
        )
    return Accuracy.calculate(scores, labels, topk)
