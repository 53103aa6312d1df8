"""Confusion matrix of a score dump: counts, most-confused pairs, heat map.

The dump is what ``tools/test.py --dump`` writes (see
:class:`~stgcn_reg.evaluation.metrics.dump_scores.DumpScores`), read with
:func:`stgcn_reg.evaluation.load_score_dump` (restricted unpickler,
checked): ``dict(sample_names, scores (N, K), labels (N,))``. Samples with
label -1 (unknown) are left out.
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.utils import atomic_path


def confusion_matrix(labels: Sequence[int], predictions: Sequence[int],
                     num_classes: int) -> np.ndarray:
    """``(K, K)`` counts; row = true class, column = predicted class.

    Pairs whose label is negative (unknown) are left out.
    """
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    known = labels >= 0
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (labels[known], predictions[known]), 1)
    return matrix


def dump_confusion_matrix(dump: Dict[str, Any]) -> np.ndarray:
    """Confusion matrix of a loaded dump's top-1 predictions."""
    scores = dump['scores']
    return confusion_matrix(dump['labels'], scores.argmax(axis=1),
                            scores.shape[1])


def most_confused_pairs(matrix: np.ndarray,
                        top: int = 10) -> List[Tuple[int, int, int, float]]:
    """The largest off-diagonal cells, most first.

    Returns:
        list: ``(true, predicted, count, share)`` with ``share`` the
        fraction of the true class's samples; ties broken by true, then
        predicted class. Cells with count 0 are left out.
    """
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    true, predicted = np.nonzero(off)
    order = sorted(zip(-off[true, predicted], true, predicted))[:top]
    totals = matrix.sum(axis=1)
    return [(int(t), int(p), int(-negative), float(-negative / totals[t]))
            for negative, t, p in order]


def format_pairs(pairs: Sequence[Tuple[int, int, int, float]],
                 names: Optional[Sequence[str]] = None) -> str:
    """One line per pair: ``true -> predicted: count (share of true)``."""

    def describe(index: int) -> str:
        return f'{index} {names[index]}' if names else str(index)

    if not pairs:
        return 'no confusions: every sample is predicted correctly'
    return '\n'.join(
        f'{describe(t)} -> {describe(p)}: {count} ({share:.1%} of {t})'
        for t, p, count, share in pairs)


def plot_confusion_matrix(matrix: np.ndarray,
                          out_file: str,
                          names: Optional[Sequence[str]] = None,
                          title: str = '') -> None:
    """Heat map of the row-normalised matrix (share of each true class).

    Class names label the axes up to 60 classes; counts are written in the
    cells up to 25 classes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    num_classes = matrix.shape[0]
    totals = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, totals, out=np.zeros(matrix.shape),
                       where=totals > 0)
    side = float(np.clip(3 + 0.25 * num_classes, 5, 30))
    figure = Figure(figsize=(side + 1.5, side), layout='constrained')
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    image = ax.imshow(shares, cmap='Blues', vmin=0, vmax=1)
    figure.colorbar(image, ax=ax, shrink=0.8, label='share of true class')
    ax.set_xlabel('predicted class')
    ax.set_ylabel('true class')
    if num_classes <= 60:
        ticks = list(range(num_classes))
        labels = [names[i] for i in ticks] if names else ticks
        ax.set_xticks(ticks, labels, rotation=90, fontsize='small')
        ax.set_yticks(ticks, labels, fontsize='small')
    if num_classes <= 25:
        for (t, p), count in np.ndenumerate(matrix):
            if count:
                ax.text(p, t, str(count), ha='center', va='center',
                        color='white' if shares[t, p] > 0.5 else 'black',
                        fontsize='small')
    ax.set_title(title or f'confusion matrix ({int(matrix.sum())} samples)')
    with atomic_path(out_file) as temp:
        figure.savefig(temp, format='png', dpi=100)
