"""Spatial augmentation of skeleton sequences."""

import math
from typing import Sequence, Tuple

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import get_keypoint, transform_repr


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
        self._candidates = [
            np.asarray(values) for values in (
                self.move_time_candidate, self.angle_candidate,
                self.scale_candidate, self.transform_candidate,
                self.transform_candidate)
        ]

    def draw(self, num_frames: int) -> Tuple[np.ndarray, np.ndarray]:
        """Draw the control frames and, per control frame, the angle, scale,
        tx and ty (one ``np.random`` call per quantity, as the original).

        Returns:
            tuple: ``node`` (int64, the control frames, ending with
            ``num_frames``) and ``controls`` (float64 of shape
            ``(4, len(node))``: angle, scale, tx, ty).
        """
        candidates = self._candidates
        move_time = int(candidates[0][np.random.randint(len(candidates[0]))])
        node = np.arange(0, num_frames, num_frames * 1.0 / move_time)
        node = np.append(node.round().astype(np.int64), num_frames)
        controls = np.stack([
            values[np.random.randint(0, len(values), len(node))]
            for values in candidates[1:]
        ])
        return node, controls

    @staticmethod
    def interpolate(node: np.ndarray, controls: np.ndarray,
                    num_frames: int) -> np.ndarray:
        """Per-frame values ``(4, T)`` linearly interpolated between the
        control frames, equal to ``np.linspace`` over each segment.

        Segment ``i`` covers frames ``node[i]`` to ``node[i + 1] - 1`` and
        goes from ``controls[:, i]`` to ``controls[:, i + 1]`` (reached at
        its last frame); empty segments are skipped.
        """
        frames = np.arange(num_frames)
        if len(node) == 2:  # one segment (move_time 1): fewer array ops
            if num_frames == 1:
                return controls[:, :1].copy()
            step = (controls[:, 1:] - controls[:, :1]) / (num_frames - 1)
            curves = frames * step + controls[:, :1]
            curves[:, -1] = controls[:, 1]
            return curves
        segment = np.searchsorted(node, frames, side='right') - 1
        start, stop = controls[:, segment], controls[:, segment + 1]
        length = node[segment + 1] - node[segment]
        offset = (frames - node[segment]).astype(np.float64)
        # np.linspace: offset * (stop - start) / (length - 1) + start, then
        # exactly stop at the last frame; a one-frame segment is its start
        step = (stop - start) / np.maximum(length - 1, 1)
        curves = offset * step + start
        return np.where(offset == length - 1, np.where(
            length > 1, stop, start), curves)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
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
        angle, scale, t_x, t_y = self.interpolate(
            *self.draw(num_frames), num_frames)[:, :, None, None]
        cos, sin = _cos_sin(angle)
        x, y = keypoint[0], keypoint[1]
        present = np.any(keypoint != 0, axis=0)
        out = keypoint.copy()
        # one (2, 2) matrix [[cos, -sin], [sin, cos]] * scale per frame
        out[0] = np.where(present, (cos * scale) * x + (-sin * scale) * y
                          + t_x, 0.0)
        out[1] = np.where(present, (sin * scale) * x + (cos * scale) * y
                          + t_y, 0.0)
        results['keypoint'] = out
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'angle_candidate', 'scale_candidate',
                              'transform_candidate', 'move_time_candidate')
