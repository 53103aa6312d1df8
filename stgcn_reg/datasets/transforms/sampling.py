"""Temporal sampling transforms of skeleton sequences.

All transforms here work on ``results['keypoint']``, a float32 array of
shape ``(C, T, V, M)`` (channels, frames, joints, persons). As in the
original ST-GCN feeder, the frames after the last valid frame are all-zero
padding; a frame is *valid* when any of its values is nonzero.
"""

from typing import Tuple

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr


def _valid_range(keypoint: np.ndarray) -> Tuple[int, int]:
    """``[begin, end)`` from the first to the last frame with a nonzero value.

    Returns ``(0, 0)`` when every frame is zero.
    """
    valid = np.any(keypoint != 0, axis=(0, 2, 3))
    if not valid.any():
        return 0, 0
    begin = int(np.argmax(valid))
    end = len(valid) - int(np.argmax(valid[::-1]))
    return begin, end


def _place(block: np.ndarray, size: int, offset: int) -> np.ndarray:
    """Zero array of ``size`` frames holding ``block`` from ``offset`` on."""
    channels, length, joints, persons = block.shape
    out = np.zeros((channels, size, joints, persons), dtype=np.float32)
    out[:, offset : offset + length] = block
    return out


@TRANSFORMS.register_module()
class RandomChoose:
    """Randomly choose a window of ``window_size`` frames.

    Like ``random_choose`` of the original ST-GCN, but the window is taken
    from the valid frames only (the first to the last nonzero frame) so
    that it never lands on the zero padding. When the valid frames are no
    more than ``window_size``, all of them are kept and placed at a random
    offset of a zero array of ``window_size`` frames; otherwise a random
    contiguous window of ``window_size`` valid frames is kept.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, window_size, V, M).

    Args:
        window_size (int): Number of output frames, > 0.
    """

    def __init__(self, window_size: int) -> None:
        self.window_size = check_int('window_size', window_size, 1)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        begin, end = _valid_range(keypoint)
        length = end - begin
        if length <= self.window_size:
            offset = np.random.randint(0, self.window_size - length + 1)
            results['keypoint'] = _place(
                keypoint[:, begin:end], self.window_size, offset
            )
        else:
            start = np.random.randint(begin, end - self.window_size + 1)
            results['keypoint'] = np.ascontiguousarray(
                keypoint[:, start : start + self.window_size]
            )
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'window_size')


@TRANSFORMS.register_module()
class AutoPad:
    """Pad or crop the valid frames to exactly ``window_size`` frames.

    The valid frames (the first to the last nonzero frame) are moved to
    the start of the output, or to a random offset when ``random_offset``
    is True, and the rest is filled with zeros. Valid frames are never
    dropped when they number ``window_size`` or fewer; otherwise only the
    first ``window_size`` valid frames are kept. Leading all-zero frames
    are dropped.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, window_size, V, M).

    Args:
        window_size (int): Number of output frames, > 0.
        random_offset (bool): Place the valid frames at a random offset
            instead of the start. Defaults to False.
    """

    def __init__(self, window_size: int, random_offset: bool = False) -> None:
        self.window_size = check_int('window_size', window_size, 1)
        self.random_offset = bool(random_offset)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        begin, end = _valid_range(keypoint)
        block = keypoint[:, begin : min(end, begin + self.window_size)]
        offset = 0
        if self.random_offset:
            slack = self.window_size - block.shape[1]
            offset = np.random.randint(0, slack + 1)
        results['keypoint'] = _place(block, self.window_size, offset)
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'window_size', 'random_offset')


@TRANSFORMS.register_module()
class TemporalDownsample:
    """Keep every ``step``-th frame (``downsample`` of the original ST-GCN).

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, T', V, M) with
          ``T' = ceil((T - start) / step)``.

    Args:
        step (int): Sampling stride in frames, >= 1.
        random_start (bool): Start at a random frame in ``[0, step)``
            instead of frame 0. Defaults to False.
    """

    def __init__(self, step: int, random_start: bool = False) -> None:
        self.step = check_int('step', step, 1)
        self.random_start = bool(random_start)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        start = np.random.randint(0, self.step) if self.random_start else 0
        results['keypoint'] = np.ascontiguousarray(
            keypoint[:, start :: self.step]
        )
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'step', 'random_start')


@TRANSFORMS.register_module()
class RandomShift:
    """Move the valid frames to a random start (``random_shift`` of ST-GCN).

    The block from the first to the last nonzero frame is copied unchanged
    to a random position of a zero array with the same number of frames.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M).
    """

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        begin, end = _valid_range(keypoint)
        num_frames = keypoint.shape[1]
        offset = np.random.randint(0, num_frames - (end - begin) + 1)
        results['keypoint'] = _place(
            keypoint[:, begin:end], num_frames, offset
        )
        return results

    def __repr__(self) -> str:
        return transform_repr(self)
