"""One ``tools/test.py --dump`` file, read and checked.

A score dump is a pickle of ``dict(sample_names=list, scores=ndarray
(N, K), labels=ndarray (N,))`` in dataset order (see
:class:`~stgcn_reg.evaluation.DumpScores`).
"""
from typing import Any, Dict, List

import numpy as np

from stgcn_reg.utils import safe_load_pickle

DUMP_KEYS = ('sample_names', 'scores', 'labels')


def _wrong_structure(path: str, problem: str) -> ValueError:
    return ValueError(
        f'{path!r} is not a score dump (a dict of sample_names, scores '
        f'(N, K) and labels (N,) as tools/test.py --dump writes): {problem}'
    )


def _dump_dict(path: str, data: Any) -> Dict[str, Any]:
    """``data`` if it is a dict with every key of a dump."""
    if not isinstance(data, dict):
        raise _wrong_structure(path, f'got a {type(data).__name__}')
    missing = [key for key in DUMP_KEYS if key not in data]
    if missing:
        raise _wrong_structure(
            path, f'missing keys {missing}, has {sorted(map(str, data))}'
        )
    return data


def _sample_names(path: str, names: Any) -> List[str]:
    """``sample_names`` as a list of strings."""
    if isinstance(names, np.ndarray):
        names = names.tolist()
    if not isinstance(names, (list, tuple)) or not all(
        isinstance(name, str) for name in names
    ):
        raise _wrong_structure(path, 'sample_names must be a list of strings')
    return list(names)


def _scores(path: str, scores: Any) -> np.ndarray:
    """``scores`` as finite float64 ``(N, K)``, K >= 1."""
    scores = np.asarray(scores)
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
    return scores


def _labels(path: str, labels: Any) -> np.ndarray:
    """``labels`` as int64 ``(N,)``."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or (
        labels.size and not np.issubdtype(labels.dtype, np.integer)
    ):
        raise _wrong_structure(
            path,
            f'labels must be a 1-D integer array, got shape {labels.shape} '
            f'dtype {labels.dtype}',
        )
    return labels.astype(np.int64)


def _check_agreement(path: str, names: List[str], scores: np.ndarray,
                     labels: np.ndarray) -> None:
    """Raise unless the three have N entries and labels are classes or -1."""
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
    data = _dump_dict(path, safe_load_pickle(path))
    names = _sample_names(path, data['sample_names'])
    scores = _scores(path, data['scores'])
    labels = _labels(path, data['labels'])
    _check_agreement(path, names, scores, labels)
    return dict(sample_names=names, scores=scores, labels=labels)
