"""Samples of an MMAction2 / PYSKL skeleton annotation pickle."""
from typing import List, Optional, Tuple

import numpy as np

from ..feeder_checks import check_has_samples, check_skeleton_values
from ..readers.pose_annotations import (
    OUT_CHANNELS,
    check_pose_options,
    load_pose_annotations,
    pose_to_skeleton,
)
from .base import SkeletonStore


class PoseAnnotationStore(SkeletonStore):
    """The clips of one split of a pose pickle, as ``(3, T, V, M)`` samples.

    The pickle is loaded (with the restricted unpickler) and checked when
    the store is built; :meth:`read` turns one clip's ``(M, T, V, C)``
    poses into a sample with
    :func:`~stgcn_reg.datasets.readers.pose_annotations.pose_to_skeleton`:
    (x, y, z) for 3D poses, (x, y, score) for 2D ones. :attr:`img_shapes`
    keeps each clip's ``img_shape`` (None where it has none).

    Args:
        ann_file (str): The annotation pickle.
        split (str, optional): Split name; None takes every annotation.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): When given, V must match this layout.
        max_persons (int): Persons M of every sample. Defaults to 2.
        num_frames (int, optional): Frames T of every sample (crop or
            zero-pad); None keeps each clip's length. Defaults to None.
    """

    def __init__(self,
                 ann_file: str,
                 split: Optional[str] = None,
                 num_classes: Optional[int] = None,
                 layout: Optional[str] = None,
                 max_persons: int = 2,
                 num_frames: Optional[int] = None) -> None:
        check_pose_options(max_persons, num_frames)
        self.path = ann_file
        self.max_persons = max_persons
        self.num_frames = num_frames
        self.where = f'ann_file {ann_file!r}'
        annotations = load_pose_annotations(ann_file, split, num_classes,
                                            layout)
        where = f'ann_file {ann_file!r} split {split!r}'
        check_has_samples(where, len(annotations))
        self._poses: List[Tuple[np.ndarray, Optional[np.ndarray]]] = []
        for index, annotation in enumerate(annotations):
            keypoint = annotation['keypoint']
            check_skeleton_values(
                f'{where}, annotation #{index} (frame_dir '
                f"{annotation['frame_dir']!r}) field 'keypoint'",
                keypoint.shape, keypoint.dtype, axes='MTVC')
            # 3D poses fill all three channels; a score would not fit
            is_2d = keypoint.shape[3] == 2
            score = annotation.get('keypoint_score') if is_2d else None
            self._poses.append((keypoint, score))
        self.names = [str(a['frame_dir']) for a in annotations]
        self.labels = [int(a['label']) for a in annotations]
        # (height, width) of 2D clips' videos, for PreNormalize2D
        self.img_shapes = [a.get('img_shape') for a in annotations]

    def __len__(self) -> int:
        return len(self._poses)

    @property
    def sample_shape(self) -> Optional[Tuple[int, ...]]:
        """``(3, T, V, M)`` when ``num_frames`` is set and every clip has
        the same V; None otherwise."""
        joints = {keypoint.shape[2] for keypoint, _ in self._poses}
        if self.num_frames is None or len(joints) != 1:
            return None
        return (OUT_CHANNELS, self.num_frames, joints.pop(),
                self.max_persons)

    @property
    def dtype(self) -> np.dtype:
        """float32: the samples are built, not stored."""
        return np.dtype(np.float32)

    def _read(self, index: int) -> np.ndarray:
        keypoint, score = self._poses[index]
        return pose_to_skeleton(keypoint, score, self.max_persons,
                                self.num_frames)
