"""Average precision, ROC AUC and R^2 in plain numpy (no scikit-learn).

Per-column means skip a column whose value is undefined (no positive or no
negative sample, constant target) and name it in a warning; they never
average a NaN in silently.
"""
import warnings
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np


def _binary_inputs(scores: np.ndarray,
                   targets: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=np.float64).ravel()
    targets = np.asarray(targets).ravel()
    if scores.shape != targets.shape:
        raise ValueError(f'scores and targets differ in length: '
                         f'{scores.shape[0]} vs {targets.shape[0]}')
    if not np.isfinite(scores).all():
        raise ValueError('scores hold NaN or inf')
    if not np.isin(targets, (0, 1)).all():
        raise ValueError('targets must be 0/1 (binarise scores first)')
    return scores, targets.astype(bool)


def average_precision(scores: np.ndarray, targets: np.ndarray) -> float:
    """Area under the precision-recall steps: ``sum (R_n - R_{n-1}) P_n``.

    Thresholds are the distinct scores, highest first, so tied samples
    enter together (as scikit-learn's ``average_precision_score``).

    Args:
        scores (array): ``(N,)`` scores, higher meaning more positive.
        targets (array): ``(N,)`` 0/1 labels.

    Returns:
        float: AP in [0, 1]; NaN when there is no positive sample.
    """
    scores, targets = _binary_inputs(scores, targets)
    positives = targets.sum()
    if positives == 0:
        return float('nan')
    order = np.argsort(-scores, kind='stable')
    scores, targets = scores[order], targets[order]
    # last index of each run of equal scores = one threshold
    last = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    true_pos = np.cumsum(targets)[last]
    precision = true_pos / (last + 1)
    recall = true_pos / positives
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_auc(scores: np.ndarray, targets: np.ndarray) -> float:
    """Area under the ROC curve: P(positive scores above negative).

    Computed from average ranks (Mann-Whitney U), so a tie counts one
    half, which equals the trapezoidal area under the ROC curve.

    Args:
        scores (array): ``(N,)`` scores, higher meaning more positive.
        targets (array): ``(N,)`` 0/1 labels.

    Returns:
        float: AUC in [0, 1]; NaN without positive or negative samples.
    """
    scores, targets = _binary_inputs(scores, targets)
    positives = int(targets.sum())
    negatives = len(targets) - positives
    if positives == 0 or negatives == 0:
        return float('nan')
    order = np.argsort(scores, kind='stable')
    sorted_scores = scores[order]
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average the ranks of tied scores
    _, first, counts = np.unique(sorted_scores, return_index=True,
                                 return_counts=True)
    mean_rank = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(mean_rank, counts)
    rank_sum = ranks[targets].sum()
    u_stat = rank_sum - positives * (positives + 1) / 2.0
    return float(u_stat / (positives * negatives))


def r2_score(preds: np.ndarray, targets: np.ndarray) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``.

    Returns:
        float: R^2 (at most 1, can be negative); NaN when the targets are
        constant.
    """
    preds = np.asarray(preds, dtype=np.float64).ravel()
    targets = np.asarray(targets, dtype=np.float64).ravel()
    if preds.shape != targets.shape:
        raise ValueError(f'preds and targets differ in length: '
                         f'{preds.shape[0]} vs {targets.shape[0]}')
    total = np.sum((targets - targets.mean())**2)
    if total == 0:
        return float('nan')
    return float(1.0 - np.sum((targets - preds)**2) / total)


def column_means(fn: Callable[[np.ndarray, np.ndarray], float],
                 preds: np.ndarray,
                 targets: np.ndarray,
                 names: Optional[Sequence[str]] = None,
                 what: str = 'metric',
                 why: str = 'undefined'
                 ) -> Tuple[float, Dict[str, float], List[str]]:
    """``fn`` per column and the mean over the defined ones.

    Args:
        fn (callable): ``fn(preds[:, k], targets[:, k]) -> float`` (NaN
            when undefined).
        preds (array): ``(N, K)`` predictions or scores.
        targets (array): ``(N, K)`` targets.
        names (sequence of str, optional): Column names for the results
            and the warning. Defaults to the column indices.
        what (str): Metric name for the warning.
        why (str): Why a column can be undefined, for the warning.

    Returns:
        tuple: The mean (NaN, with a warning, when no column is defined),
        the value per column name, and the skipped column names.
    """
    preds, targets = np.asarray(preds), np.asarray(targets)
    if preds.ndim != 2 or preds.shape != targets.shape:
        raise ValueError(f'{what}: expected predictions and targets of one '
                         f'(N, K) shape, got {preds.shape} and '
                         f'{targets.shape}')
    names = list(names) if names is not None else [
        str(k) for k in range(preds.shape[1])]
    if len(names) != preds.shape[1]:
        raise ValueError(f'{what}: {len(names)} names for '
                         f'{preds.shape[1]} columns')
    values = {name: fn(preds[:, k], targets[:, k])
              for k, name in enumerate(names)}
    skipped = [name for name, value in values.items() if np.isnan(value)]
    if skipped:
        warnings.warn(
            f'{what}: skipped {len(skipped)} of {len(names)} columns '
            f'({why}): {", ".join(skipped)}', stacklevel=2)
    defined = [value for value in values.values() if not np.isnan(value)]
    if not defined:
        warnings.warn(f'{what}: no column is defined ({why}); the mean is '
                      'NaN', stacklevel=2)
        return float('nan'), values, skipped
    return float(np.mean(defined)), values, skipped
