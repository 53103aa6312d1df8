"""Spatial augmentation of skeleton sequences."""

import math
from typing import Sequence, Tuple

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .sampling import _get_keypoint


def _check_candidates(
    name: str, values: Sequence[float], integer: bool = False
) -> Tuple:
    """Return ``values`` as a non-empty tuple of finite numbers."""
    if isinstance(values, (str, bytes)) or not hasattr(values, '__len__'):
        raise ValueError(
            f'{name} must be a non-empty sequence of numbers, got {values!r}'
        )
    values = tuple(values)
    if not values:
        raise ValueError(
            f'{name} must be a non-empty sequence of numbers, got {values!r}'
        )
    for value in values:
        if integer:
            ok = (
                isinstance(value, (int, np.integer))
                and not isinstance(value, (bool, np.bool_))
                and value >= 1
            )
            expected = 'integers >= 1'
        else:
            ok = (
                isinstance(value, (int, float, np.integer, np.floating))
                and not isinstance(value, (bool, np.bool_))
                and math.isfinite(value)
            )
            expected = 'finite numbers'
        if not ok:
            raise ValueError(
                f'{name} must be a non-empty sequence of {expected}, got '
                f'{values!r} (bad element {value!r})'
            )
    return values


def _cos_sin(degrees: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Cosine and sine of angles in degrees, exact at multiples of 90."""
    radians = np.deg2rad(degrees)
    cos, sin = np.cos(radians), np.sin(radians)
    right = np.mod(degrees, 90.0) == 0
    quarter = np.round(degrees / 90.0).astype(np.int64) % 4
    cos = np.where(right, np.array([1.0, 0.0, -1.0, 0.0])[quarter], cos)
    sin = np.where(right, np.array([0.0, 1.0, 0.0, -1.0])[quarter], sin)
    return cos, sin


@TRANSFORMS.register_module()
class RandomMove:
    """Random rotation, scaling and translation that drift over time.

    Follows ``random_move`` of the original ST-GCN: ``move_time`` is drawn
    from ``move_time_candidate`` and control frames are put at
    ``np.arange(0, T, T / move_time).round()`` plus ``T``. For each control
    frame an angle (degrees), a scale and an x / y translation are drawn
    from the candidates; between control frames they are interpolated
    linearly. Each frame's ``(x, y)`` (channels 0 and 1) is then mapped to
    ``[[cos * s, -sin * s], [sin * s, cos * s]] @ (x, y) + (tx, ty)``.

    Unlike the original, missing joints (all channels zero at that frame,
    joint and person, which covers zero-padded frames and absent persons)
    stay exactly zero instead of being translated. Channels from 2 on
    (e.g. z or confidence) are left unchanged.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M), C >= 2.

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Args:
        angle_candidate (sequence of float): Rotation angles in degrees.
            Defaults to ``(-10, -5, 0, 5, 10)``.
        scale_candidate (sequence of float): Scale factors. Defaults to
            ``(0.9, 1.0, 1.1)``.
        transform_candidate (sequence of float): Translations, used for
            both x and y. Defaults to ``(-0.2, -0.1, 0.0, 0.1, 0.2)``.
        move_time_candidate (sequence of int): Numbers of interpolation
            segments, each >= 1. Defaults to ``(1,)``.
    """

    def __init__(
        self,
        angle_candidate: Sequence[float] = (-10.0, -5.0, 0.0, 5.0, 10.0),
        scale_candidate: Sequence[float] = (0.9, 1.0, 1.1),
        transform_candidate: Sequence[float] = (-0.2, -0.1, 0.0, 0.1, 0.2),
        move_time_candidate: Sequence[int] = (1,),
    ) -> None:
        self.angle_candidate = _check_candidates(
            'angle_candidate', angle_candidate
        )
        self.scale_candidate = _check_candidates(
            'scale_candidate', scale_candidate
        )
        self.transform_candidate = _check_candidates(
            'transform_candidate', transform_candidate
        )
        self.move_time_candidate = _check_candidates(
            'move_time_candidate', move_time_candidate, integer=True
        )

    def _per_frame(self, num_frames: int) -> Tuple[np.ndarray, ...]:
        """Draw and interpolate angle, scale, tx and ty for every frame."""
        move_time = int(np.random.choice(self.move_time_candidate))
        node = np.arange(0, num_frames, num_frames * 1.0 / move_time)
        node = np.append(node.round().astype(np.int64), num_frames)
        num_node = len(node)
        controls = [
            np.random.choice(self.angle_candidate, num_node),
            np.random.choice(self.scale_candidate, num_node),
            np.random.choice(self.transform_candidate, num_node),
            np.random.choice(self.transform_candidate, num_node),
        ]
        curves = []
        for control in controls:
            curve = np.zeros(num_frames, dtype=np.float64)
            for i in range(num_node - 1):
                curve[node[i] : node[i + 1]] = np.linspace(
                    control[i], control[i + 1], node[i + 1] - node[i]
                )
            curves.append(curve)
        return tuple(curves)

    def __call__(self, results: dict) -> dict:
        keypoint = _get_keypoint(results, self)
        channels, num_frames = keypoint.shape[:2]
        if channels < 2:
            raise ValueError(
                f'{type(self).__name__}: needs at least 2 channels (x, y) '
                f"on axis 0 of results['keypoint'], got shape "
                f'{keypoint.shape}'
            )
        if num_frames == 0:
            results['keypoint'] = keypoint
            return results
        angle, scale, t_x, t_y = self._per_frame(num_frames)
        cos, sin = _cos_sin(angle)
        # (2, 2, T): one 2x2 matrix per frame
        theta = np.array(
            [[cos * scale, -sin * scale], [sin * scale, cos * scale]]
        )
        xy = keypoint[0:2].astype(np.float64)
        moved = np.einsum('ijt,jtvm->itvm', theta, xy)
        moved += np.stack([t_x, t_y])[:, :, None, None]
        present = np.any(keypoint != 0, axis=0)
        out = keypoint.copy()
        out[0:2] = np.where(present, moved, 0.0)
        results['keypoint'] = out
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}('
            f'angle_candidate={self.angle_candidate}, '
            f'scale_candidate={self.scale_candidate}, '
            f'transform_candidate={self.transform_candidate}, '
            f'move_time_candidate={self.move_time_candidate})'
        )
