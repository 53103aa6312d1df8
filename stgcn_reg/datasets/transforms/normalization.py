"""Normalization of skeleton coordinates."""

from typing import Optional, Sequence

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr


@TRANSFORMS.register_module()
class Normalize:
    """Per-channel ``(x - mean) / std`` over the channel axis.

    Missing joints (all channels zero at that frame, joint and person,
    which covers the zero padding) stay exactly zero.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Args:
        mean (sequence of float): One mean per channel (length C).
        std (sequence of float): One nonzero standard deviation per
            channel (length C).
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float]) -> None:
        self.mean = np.array(mean, dtype=np.float32).reshape(-1)
        self.std = np.array(std, dtype=np.float32).reshape(-1)
        if self.mean.size == 0:
            raise ValueError(
                f'mean must be a non-empty sequence, got {mean!r}'
            )
        if self.mean.size != self.std.size:
            raise ValueError(
                f'mean and std must have the same length, got '
                f'len(mean)={self.mean.size} and len(std)={self.std.size}'
            )
        if not np.all(np.isfinite(self.mean)):
            raise ValueError(f'mean must be finite numbers, got {mean!r}')
        if not np.all(np.isfinite(self.std)) or np.any(self.std == 0):
            raise ValueError(
                f'std must be finite nonzero numbers, got {std!r}'
            )

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        if keypoint.shape[0] != self.mean.size:
            raise ValueError(
                f'{type(self).__name__}: len(mean)={self.mean.size} does not '
                f'match the C={keypoint.shape[0]} channels of '
                f"results['keypoint'] (shape {keypoint.shape}, axis 0)"
            )
        shape = (-1, 1, 1, 1)
        normed = (keypoint - self.mean.reshape(shape)) / self.std.reshape(
            shape
        )
        present = np.any(keypoint != 0, axis=0)
        results['keypoint'] = np.where(present, normed, 0).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return transform_repr(self, mean=self.mean.tolist(),
                              std=self.std.tolist())


@TRANSFORMS.register_module()
class CenterSkeleton:
    """Center each person on one of its joints.

    For each person, the position of ``center_joint`` in the first frame
    where that joint is present (usually the person's first valid frame)
    is subtracted from every present joint of that person; missing joints
    (all channels zero) stay zero, and a person whose center joint never
    appears is left unchanged. Note that when every channel is centered,
    the center joint of that reference frame becomes all-zero and later
    transforms will treat it as missing.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Args:
        center_joint (int): 0-based index of the center joint (axis V).
        num_coords (int, optional): Center only the first ``num_coords``
            channels (e.g. 2 for ``(x, y, score)``). Defaults to all.
    """

    def __init__(
        self, center_joint: int, num_coords: Optional[int] = None
    ) -> None:
        self.center_joint = check_int('center_joint', center_joint, 0)
        self.num_coords = (
            None
            if num_coords is None
            else check_int('num_coords', num_coords, 1)
        )

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        channels, _, num_joints, num_persons = keypoint.shape
        if self.center_joint >= num_joints:
            raise ValueError(
                f'{type(self).__name__}: center_joint={self.center_joint} is '
                f'out of range for V={num_joints} joints (shape '
                f'{keypoint.shape}, axis 2)'
            )
        coords = channels if self.num_coords is None else self.num_coords
        coords = min(coords, channels)
        out = keypoint.copy()
        present = np.any(keypoint != 0, axis=0)  # (T, V, M)
        for person in range(num_persons):
            frames = np.flatnonzero(present[:, self.center_joint, person])
            if frames.size == 0:
                continue
            center = keypoint[:coords, frames[0], self.center_joint, person]
            mask = present[:, :, person]
            out[:coords, :, :, person] -= np.where(
                mask, center[:, None, None], 0
            ).astype(np.float32)
        results['keypoint'] = out
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'center_joint', 'num_coords')
