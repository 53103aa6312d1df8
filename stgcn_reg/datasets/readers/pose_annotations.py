"""Reader of MMAction2 / PYSKL skeleton annotation pickles.

Format: a pickled dict ``dict(split=..., annotations=...)``. ``split`` maps
a split name (e.g. ``'xsub_train'``) to a list of ``frame_dir``
identifiers; ``annotations`` is a list of dicts, one per clip, with
``frame_dir`` (str), ``label`` (int), ``keypoint`` (float ``(M, T, V, C)``,
C=2 for 2D and C=3 for 3D poses), and optionally ``keypoint_score``
(``(M, T, V)``), ``total_frames``, ``img_shape`` and ``original_shape``.
Older MMAction2 files are a plain list of annotation dicts without splits.

A clip becomes the ``(C, T, V, M)`` array of the ST-GCN feeders with
C=3: (x, y, score) for 2D poses, (x, y, z) for 3D poses.
"""

import os.path as osp
from typing import Any, List, Optional

import numpy as np

from stgcn_reg.utils import safe_load_pickle

from ..feeder_checks import (
    SkeletonFileNotFoundError,
    check_joint_count,
    check_label,
)

# channels of every converted sample: (x, y, score) or (x, y, z)
OUT_CHANNELS = 3
_REQUIRED_KEYS = ('frame_dir', 'label', 'keypoint')


def _check_positive(name: str, value: Any) -> None:
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, np.integer))
        or value < 1
    ):
        raise ValueError(f'{name} must be an integer >= 1, got {value!r}')


def check_pose_options(max_persons: int, num_frames: Optional[int]) -> None:
    """Raise unless ``max_persons`` >= 1 and ``num_frames`` is None or >= 1."""
    _check_positive('max_persons', max_persons)
    if num_frames is not None:
        _check_positive('num_frames', num_frames)


def _select_split(
    ann_file: str, content: Any, split: Optional[str]
) -> List[Any]:
    """The annotations of ``split`` (all when None), in file order."""
    where = f'ann_file {ann_file!r}'
    if isinstance(content, dict) and 'annotations' in content:
        annotations, splits = content['annotations'], content.get('split')
    elif isinstance(content, (list, tuple)):
        annotations, splits = content, None
    else:
        keys = sorted(map(str, content)) if isinstance(content, dict) else ''
        raise ValueError(
            f"{where}: expected a dict with 'split' and 'annotations' or a "
            f'list of annotation dicts, got {type(content).__name__} {keys}'
        )
    if not isinstance(annotations, (list, tuple)):
        raise ValueError(
            f"{where}: 'annotations' must be a list of dicts, got "
            f'{type(annotations).__name__}'
        )
    if split is None:
        return list(annotations)
    if splits is None:
        raise ValueError(
            f'{where}: split={split!r} was asked for, but the file has no '
            f"'split' dict (an older plain list of annotations); use "
            f'split=None to take all {len(annotations)} annotations'
        )
    if not isinstance(splits, dict):
        raise ValueError(
            f"{where}: 'split' must be a dict of split name -> frame_dir "
            f'list, got {type(splits).__name__}'
        )
    if split not in splits:
        raise KeyError(
            f'{where}: unknown split {split!r}; available splits: '
            f'{sorted(map(str, splits))}'
        )
    wanted = set(splits[split])
    # file order, as MMAction2 and PYSKL keep it
    selected = [
        annotation
        for annotation in annotations
        if isinstance(annotation, dict)
        and annotation.get('frame_dir') in wanted
    ]
    found = {annotation['frame_dir'] for annotation in selected}
    missing = [name for name in splits[split] if name not in found]
    if missing:
        more = f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''
        raise ValueError(
            f'{where}: split {split!r} lists frame_dir {missing[0]!r}'
            f'{more}, which has no entry in annotations'
        )
    return selected


def _check_annotation(
    ann_file: str,
    position: int,
    annotation: Any,
    num_classes: Optional[int],
    layout: Optional[str],
) -> None:
    """Raise if one annotation dict does not follow the format."""
    where = f'ann_file {ann_file!r}, annotation #{position}'
    if not isinstance(annotation, dict):
        raise ValueError(
            f'{where}: expected a dict with {list(_REQUIRED_KEYS)}, got '
            f'{type(annotation).__name__}'
        )
    for key in _REQUIRED_KEYS:
        if key not in annotation:
            raise ValueError(
                f'{where}: has no {key!r} (keys: {sorted(annotation)})'
            )
    where = f'{where} (frame_dir {annotation["frame_dir"]!r})'
    keypoint = annotation['keypoint']
    if not isinstance(keypoint, np.ndarray) or not np.issubdtype(
        keypoint.dtype, np.number
    ):
        raise ValueError(
            f"{where}: field 'keypoint' must be a numeric numpy array "
            f'(M, T, V, C), got {type(keypoint).__name__}'
        )
    if keypoint.ndim != 4 or keypoint.shape[3] not in (2, 3):
        raise ValueError(
            f"{where}: field 'keypoint' must have shape (M, T, V, C) with "
            f'C=2 (2D) or C=3 (3D), got shape {keypoint.shape}'
        )
    score = annotation.get('keypoint_score')
    if score is not None and keypoint.shape[3] == 2:
        if np.shape(score) != keypoint.shape[:3]:
            raise ValueError(
                f"{where}: field 'keypoint_score' must have shape (M, T, V) "
                f'= {keypoint.shape[:3]} like keypoint, got shape '
                f'{np.shape(score)}'
            )
    check_joint_count(f"{where} field 'keypoint'", keypoint.shape, 2, layout)
    check_label(where, position, annotation['label'], num_classes)


def load_pose_annotations(
    ann_file: str,
    split: Optional[str] = None,
    num_classes: Optional[int] = None,
    layout: Optional[str] = None,
) -> List[dict]:
    """Load and check the annotations of one split of a pose pickle.

    Args:
        ann_file (str): The pickle, loaded with
            :func:`stgcn_reg.utils.safe_load_pickle` (plain data only).
        split (str, optional): Split name, e.g. ``'xsub_train'``. None
            takes every annotation (the only choice for an older file that
            is a plain list). Defaults to None.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): When given, the joint count V must match
            this graph layout.

    Returns:
        list[dict]: The annotation dicts of the split, in file order.
    """
    if not osp.isfile(ann_file):
        raise SkeletonFileNotFoundError(
            f'ann_file: annotation file {ann_file!r} not found'
        )
    annotations = _select_split(ann_file, safe_load_pickle(ann_file), split)
    for position, annotation in enumerate(annotations):
        _check_annotation(ann_file, position, annotation, num_classes, layout)
    return annotations


def pose_to_skeleton(
    keypoint: np.ndarray,
    keypoint_score: Optional[np.ndarray] = None,
    max_persons: int = 2,
    num_frames: Optional[int] = None,
) -> np.ndarray:
    """One clip's ``(M, T, V, C)`` poses as a float32 ``(3, T, V, M)`` array.

    The first ``max_persons`` persons and ``num_frames`` frames are kept;
    fewer are zero-padded. A 3D clip (C=3) keeps (x, y, z) and ignores any
    score. A 2D clip (C=2) gets its ``keypoint_score`` as the third
    channel; without scores, a joint scores 1 where it has a nonzero
    coordinate and 0 where both are zero (an undetected joint), so that
    empty frames stay all-zero, as the sampling transforms expect.

    Args:
        keypoint (np.ndarray): ``(M, T, V, C)`` coordinates, C in (2, 3).
        keypoint_score (np.ndarray, optional): ``(M, T, V)`` scores.
        max_persons (int): Persons M of the output. Defaults to 2.
        num_frames (int, optional): Frames T of the output; None keeps the
            clip's length. Defaults to None.

    Returns:
        np.ndarray: ``(3, T, V, M)`` float32.
    """
    persons, frames, joints, channels = keypoint.shape
    length = frames if num_frames is None else num_frames
    out = np.zeros((OUT_CHANNELS, length, joints, max_persons), np.float32)
    kept = np.asarray(keypoint[:max_persons, :length], np.float32)
    used_persons, used_frames = kept.shape[:2]
    out[:channels, :used_frames, :, :used_persons] = kept.transpose(3, 1, 2, 0)
    if channels == 2:
        if keypoint_score is None:
            score = np.any(kept != 0, axis=-1).astype(np.float32)
        else:
            score = np.asarray(
                keypoint_score[:max_persons, :length], np.float32
            )
        out[2, :used_frames, :, :used_persons] = score.transpose(1, 2, 0)
    return out
