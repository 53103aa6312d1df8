"""The BOLD label file: sample names, 26 category scores, 3 dimensions.

A pickle of plain data (loadable by :func:`stgcn_reg.utils.safe_load_pickle`)::

    dict(sample_names=[str, ...],           # N names, in data order
         category_names=[...26 str...],
         dimension_names=['Valence', 'Arousal', 'Dominance'],
         categories=float32 (N, 26),        # scores in [0, 1]
         dimensions=float32 (N, 3))         # ratings in [1, 10]

``categories`` and ``dimensions`` are absent for an unlabelled split
(``test_meta.csv``).
"""
import os.path as osp
from typing import Any, Dict, Optional, Sequence

import numpy as np

from stgcn_reg.utils import safe_load_pickle, write_pickle_atomic

from ..feeder_checks import SkeletonFileNotFoundError
from .bold import CATEGORY_NAMES, DIMENSION_NAMES, DIMENSION_RANGE

_TARGETS = (
    ('categories', CATEGORY_NAMES, (0.0, 1.0)),
    ('dimensions', DIMENSION_NAMES, DIMENSION_RANGE),
)


def make_bold_labels(names: Sequence[str],
                     categories: Optional[np.ndarray] = None,
                     dimensions: Optional[np.ndarray] = None
                     ) -> Dict[str, Any]:
    """The label dict of ``names`` with optional targets, checked.

    Args:
        names (sequence of str): Sample names in data order.
        categories (array, optional): ``(N, 26)`` scores in [0, 1].
        dimensions (array, optional): ``(N, 3)`` ratings in [1, 10].

    Returns:
        dict: The content of a label file.
    """
    labels: Dict[str, Any] = dict(
        sample_names=[str(name) for name in names],
        category_names=list(CATEGORY_NAMES),
        dimension_names=list(DIMENSION_NAMES))
    for key, value in (('categories', categories),
                       ('dimensions', dimensions)):
        if value is not None:
            labels[key] = np.asarray(value, dtype=np.float32)
    check_bold_labels(labels, 'make_bold_labels')
    return labels


def write_bold_labels(path: str,
                      names: Sequence[str],
                      categories: Optional[np.ndarray] = None,
                      dimensions: Optional[np.ndarray] = None) -> None:
    """Write a label file atomically (see :func:`make_bold_labels`)."""
    write_pickle_atomic(make_bold_labels(names, categories, dimensions), path)


def check_bold_labels(labels: Any, where: str) -> None:
    """Raise ``ValueError`` naming ``where`` and the field at fault."""
    if not isinstance(labels, dict) or 'sample_names' not in labels:
        raise ValueError(
            f'{where}: expected a dict with sample_names (and categories '
            '(N, 26), dimensions (N, 3)) as written by tools/bold_gendata.py'
            f', got {type(labels).__name__}')
    count = len(labels['sample_names'])
    for key, names, (low, high) in _TARGETS:
        if key not in labels:
            continue
        value = np.asarray(labels[key])
        if value.shape != (count, len(names)):
            raise ValueError(
                f'{where}: {key} has shape {value.shape}, expected '
                f'({count}, {len(names)}) for {count} sample_names')
        if not np.issubdtype(value.dtype, np.number):
            raise ValueError(f'{where}: {key} has dtype {value.dtype}, '
                             'expected numbers')
        bad = ~(np.isfinite(value) & (value >= low) & (value <= high))
        if bad.any():
            row, column = np.argwhere(bad)[0]
            raise ValueError(
                f'{where}: {key}[{row}, {column}] ({names[column]}) is '
                f'{value[row, column]}, expected a number in '
                f'[{low:g}, {high:g}]')


def load_bold_labels(path: str) -> Dict[str, Any]:
    """Load and check a label file written by :func:`write_bold_labels`."""
    if not osp.isfile(path):
        raise SkeletonFileNotFoundError(
            f'label_path: label file {path!r} not found')
    labels = safe_load_pickle(path)
    check_bold_labels(labels, f'label_path {path!r}')
    for key, _, _ in _TARGETS:
        if key in labels:
            labels[key] = np.asarray(labels[key], dtype=np.float32)
    return labels


def positive_rates(categories: np.ndarray,
                   threshold: float = 0.5) -> np.ndarray:
    """Share of samples whose category score is ``>= threshold``."""
    categories = np.asarray(categories, dtype=np.float64)
    if len(categories) == 0:
        return np.zeros(categories.shape[1:])
    return (categories >= threshold).mean(axis=0)
