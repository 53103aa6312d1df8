"""Score fusion of several models' ``tools/test.py --dump`` outputs.

A score dump is a pickle of ``dict(sample_names=list, scores=ndarray
(N, K), labels=ndarray (N,))`` in dataset order (see
:class:`~stgcn_reg.evaluation.DumpScores`). Fusing the joint, bone and
motion streams is a weighted sum of their scores over the same samples.
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.utils import safe_load_pickle

from .metrics import Accuracy

DUMP_KEYS = ('sample_names', 'scores', 'labels')
NORMALIZATIONS = ('none', 'softmax')


def _wrong_structure(path: str, problem: str) -> ValueError:
    return ValueError(
        f'{path!r} is not a score dump (a dict of sample_names, scores '
        f'(N, K) and labels (N,) as tools/test.py --dump writes): {problem}'
    )


def load_score_dump(path: str) -> Dict[str, Any]:
    """Read and check one score dump without running code from it.

    Args:
        path (str): A pickle written by ``tools/test.py --dump``.

    Returns:
        dict: ``sample_names`` (list of str), ``scores`` (float64 array
        ``(N, K)``) and ``labels`` (int64 array ``(N,)``; -1 marks a
        sample without a ground-truth label).

    Raises:
        OSError: The file cannot be opened.
        stgcn_reg.utils.UnsafePickleError: The pickle names code.
        ValueError: The file is no pickle or not a valid score dump.
    """
    path = str(path)
    data = safe_load_pickle(path)
    if not isinstance(data, dict):
        raise _wrong_structure(path, f'got a {type(data).__name__}')
    missing = [key for key in DUMP_KEYS if key not in data]
    if missing:
        raise _wrong_structure(
            path, f'missing keys {missing}, has {sorted(map(str, data))}'
        )
    names = data['sample_names']
    if isinstance(names, np.ndarray):
        names = names.tolist()
    if not isinstance(names, (list, tuple)) or not all(
        isinstance(name, str) for name in names
    ):
        raise _wrong_structure(path, 'sample_names must be a list of strings')
    scores = np.asarray(data['scores'])
    if scores.ndim != 2 or scores.shape[1] == 0:
        raise _wrong_structure(
            path, f'scores must be (N, K) with K >= 1, got {scores.shape}'
        )
    if not (
        np.issubdtype(scores.dtype, np.floating)
        or np.issubdtype(scores.dtype, np.integer)
    ):
        raise _wrong_structure(
            path, f'scores must be numbers, got dtype {scores.dtype}'
        )
    scores = scores.astype(np.float64)
    if not np.all(np.isfinite(scores)):
        raise _wrong_structure(path, 'scores hold NaN or infinite values')
    labels = np.asarray(data['labels'])
    if labels.ndim != 1 or (
        labels.size and not np.issubdtype(labels.dtype, np.integer)
    ):
        raise _wrong_structure(
            path,
            f'labels must be a 1-D integer array, got shape {labels.shape} '
            f'dtype {labels.dtype}',
        )
    labels = labels.astype(np.int64)
    if not len(names) == len(scores) == len(labels):
        raise _wrong_structure(
            path,
            f'{len(names)} sample_names, {len(scores)} rows of scores and '
            f'{len(labels)} labels; they must match',
        )
    num_classes = scores.shape[1]
    bad = np.flatnonzero((labels < -1) | (labels >= num_classes))
    if bad.size:
        raise _wrong_structure(
            path,
            f'label {labels[bad[0]]} of sample {bad[0]} ({names[bad[0]]!r}) '
            f'is not a class index in [0, {num_classes}) or -1 (no label)',
        )
    return dict(sample_names=list(names), scores=scores, labels=labels)


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


def fuse_scores(
    dumps: Sequence[Dict[str, Any]],
    weights: Optional[Sequence[float]] = None,
    normalize: str = 'none',
    sources: Optional[Sequence[str]] = None,
) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Weighted sum of the class scores of several models.

    Args:
        dumps (sequence of dict): Score dumps as :func:`load_score_dump`
            returns them, over the same samples in the same order.
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
    if weights is None:
        weights = [1.0] * len(dumps)
    weights = [float(weight) for weight in weights]
    if len(weights) != len(dumps):
        raise ValueError(
            f'got {len(weights)} weights for {len(dumps)} score dumps; give '
            'one weight per dump'
        )
    if not all(np.isfinite(w) and w >= 0 for w in weights) or not any(weights):
        raise ValueError(
            f'weights must be finite and >= 0, at least one positive, got '
            f'{weights}'
        )
    if sources is None:
        sources = [f'dump {i}' for i in range(len(dumps))]
    if len(sources) != len(dumps):
        raise ValueError(
            f'got {len(sources)} sources for {len(dumps)} score dumps'
        )
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
