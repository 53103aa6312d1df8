"""Value checks and packing shared by the stores, feeders and converters.

Every error names the file and the field at fault (``where``, e.g.
``"label_path 'train_label.pkl'"``) and the value that was expected, so a
bad dataset is fixed from the message alone.
"""

from typing import Any, Dict, Iterable, List, Optional, Tuple

import numpy as np
import torch

from stgcn_reg.graphs.layouts import get_layout


class SkeletonDataError(ValueError):
    """A dataset file holds data a feeder cannot use; the message names the
    file, the field and what was expected (the tools print it as one
    ``error:`` line)."""


class SkeletonFileNotFoundError(SkeletonDataError, FileNotFoundError):
    """A dataset file named in the config does not exist (the message names
    the field and the path); both a :class:`SkeletonDataError` for the
    tools and a :class:`FileNotFoundError` for callers."""


def describe(value: Any) -> str:
    """Short description of a value's size for error messages."""
    return f'of length {len(value)}' if hasattr(value, '__len__') else ''


def check_label(
    where: str, position: int, label: Any, num_classes: Optional[int]
) -> int:
    """Return ``label`` as an int, or raise if it is no class index.

    Args:
        where (str): The file and field, for the message.
        position (int): Index of the label, for the message.
        label: The value to check.
        num_classes (int, optional): When given, the label must lie in
            ``[0, num_classes)``; otherwise it must not be negative.

    Returns:
        int: The label.
    """
    if isinstance(label, (bool, np.bool_)) or not isinstance(
        label, (int, np.integer)
    ):
        raise SkeletonDataError(
            f'{where}: label #{position} is {label!r}; expected an integer '
            'class index'
        )
    if label < 0 or (num_classes is not None and label >= num_classes):
        upper = num_classes if num_classes else 'num_classes'
        raise SkeletonDataError(
            f'{where}: label #{position} is {int(label)}, outside [0, {upper})'
        )
    return int(label)


def check_labels(
    where: str, labels: Iterable[Any], num_classes: Optional[int]
) -> List[int]:
    """:func:`check_label` on every label; return them as ints."""
    return [
        check_label(where, position, label, num_classes)
        for position, label in enumerate(labels)
    ]


def check_joint_count(
    where: str, shape: Tuple[int, ...], axis: int, layout: Optional[str]
) -> None:
    """Raise if ``shape[axis]`` is not the joint count of ``layout``.

    Args:
        where (str): The file and field, for the message.
        shape (tuple): Shape of the skeleton array.
        axis (int): The joint axis V of ``shape``.
        layout (str, optional): Graph layout name; no check when None.
    """
    if layout is None:
        return
    expected = get_layout(layout).num_node
    if shape[axis] != expected:
        raise SkeletonDataError(
            f'{where}: has V={shape[axis]} joints (shape {tuple(shape)}, '
            f'axis {axis}) but graph layout {layout!r} has {expected} joints'
        )


_AXIS_NAMES = dict(C='channels', T='frames', V='joints', M='persons')


def check_skeleton_values(
    where: str, shape: Tuple[int, ...], dtype: Any, axes: str = 'NCTVM'
) -> None:
    """Raise unless a skeleton array holds real numbers and no axis but N
    is empty (0 frames, joints, persons or channels cannot be run).

    Args:
        where (str): The file and field, for the message.
        shape (tuple): Shape of the array.
        dtype: Its dtype; complex values are refused, not cast (a cast
            would drop the imaginary part with only a numpy warning).
        axes (str): The axis letters of ``shape``, e.g. ``'MTVC'`` for a
            pose annotation. Defaults to ``'NCTVM'``.
    """
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.complexfloating):
        raise SkeletonDataError(
            f'{where}: has complex dtype {dtype}; expected real '
            'coordinates (a float or integer array)'
        )
    if not np.issubdtype(dtype, np.number):
        raise SkeletonDataError(
            f'{where}: expected a numeric array, got dtype {dtype}'
        )
    for axis, size in zip(axes, shape):
        if size == 0 and axis in _AXIS_NAMES:
            raise SkeletonDataError(
                f'{where}: has {axis}=0 {_AXIS_NAMES[axis]} (shape '
                f'{tuple(shape)}, axes {axes}); expected at least one'
            )


def check_has_samples(where: str, count: int) -> None:
    """Raise if a dataset file holds no samples (mmengine cannot use it).

    Args:
        where (str): The file and field, for the message.
        count (int): Number of samples found.
    """
    if count == 0:
        raise SkeletonDataError(
            f'{where}: has 0 samples; expected at least one (was the file '
            'written from an empty folder or split?)'
        )


def check_finite_sample(where: str, index: int, sample: np.ndarray) -> None:
    """Raise if one loaded sample holds NaN or infinite values.

    Checked per sample as it is loaded, so a many-GB array is never
    scanned at once and a bad sample is named as soon as it is used.

    Args:
        where (str): The file and field, for the message.
        index (int): Index of the sample in the file (axis 0).
        sample (np.ndarray): The sample's values.
    """
    finite = np.isfinite(sample)
    if not finite.all():
        bad = sample[~finite]
        raise SkeletonDataError(
            f'{where}: sample #{index} contains {bad.size} non-finite '
            f'values (NaN/inf, e.g. {bad.flat[0]}); expected finite '
            'coordinates. Fix or drop that sample.'
        )


def pack_item(results: Dict[str, Any], index: int) -> Dict[str, Any]:
    """The model's item from a pipeline's output.

    Args:
        results (dict): Pipeline output with ``keypoint`` ``(C, T, V, M)``,
            ``label`` and ``sample_name``.
        index (int): Index of the item in the dataset.

    Returns:
        dict: ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label,
        index, sample_name))``.
    """
    keypoint = np.ascontiguousarray(results['keypoint'], np.float32)
    return dict(
        inputs=torch.from_numpy(keypoint),
        data_samples=dict(
            label=results['label'],
            index=index,
            sample_name=results['sample_name'],
        ),
    )
