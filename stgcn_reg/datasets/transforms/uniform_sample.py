"""Uniform temporal sampling of PYSKL's recipe: one frame per segment."""

from typing import Any

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr
from .sampling import _valid_range


@TRANSFORMS.register_module()
class UniformSampleFrames:
    """Sample ``clip_len`` frames spread over the whole clip, ``num_clips``
    times.

    The valid frames (the first to the last nonzero frame; every frame
    after :class:`PreNormalize3D`) are split into ``clip_len`` segments of
    equal length (up to rounding) and one random frame is taken from each,
    so every part of the action is seen whatever its length. A clip with
    fewer valid frames than ``clip_len`` is looped: ``clip_len``
    consecutive frames from a start frame, wrapping around, so every
    frame appears.

    In training (``test_mode=False``) the draw uses numpy's global
    generator, which mmengine seeds per worker. In testing it uses a
    generator of its own seeded with ``seed`` at every call, so the same
    clip always gives the same frames whatever happened before, and the
    global generator is left untouched. With ``num_clips > 1`` the test
    clips of a looped short clip start at evenly spaced frames.

    With ``num_clips == 1`` the output keeps the ``(C, T, V, M)`` layout;
    with more, the clips are stacked into ``(num_clips, C, clip_len, V,
    M)``, which :class:`~stgcn_reg.models.SkeletonRecognizer` recognises
    as a multi-clip sample and averages over. Put this transform last
    (feature transforms such as :class:`JointToBone` and
    :class:`ToMotion` go before it, on the full-rate frames).

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (C, clip_len, V, M), or
          (num_clips, C, clip_len, V, M) when ``num_clips > 1``.

    Added Keys:
        - frame_inds: int64 array (num_clips * clip_len,), the sampled
          frames (indices into the input's T axis).
        - clip_len: int.
        - num_clips: int.

    Args:
        clip_len (int): Frames per clip, >= 1.
        num_clips (int): Clips per sample, >= 1. Defaults to 1.
        test_mode (bool): Draw with the fixed ``seed``. Defaults to False.
        seed (int): Seed of the test-time draw. Defaults to 255 (PYSKL's).

    Examples:
        >>> import numpy as np
        >>> keypoint = np.ones((3, 300, 25, 2), dtype=np.float32)
        >>> sample = UniformSampleFrames(100, num_clips=10, test_mode=True)
        >>> sample(dict(keypoint=keypoint))['keypoint'].shape
        (10, 3, 100, 25, 2)
    """

    def __init__(
        self,
        clip_len: int,
        num_clips: int = 1,
        test_mode: bool = False,
        seed: int = 255,
    ) -> None:
        self.clip_len = check_int('clip_len', clip_len, 1)
        self.num_clips = check_int('num_clips', num_clips, 1)
        self.test_mode = bool(test_mode)
        self.seed = check_int('seed', seed, 0)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        begin, end = _valid_range(keypoint)
        if begin == end:  # all zero: sample the zeros
            begin, end = 0, keypoint.shape[1]
        if end == begin:
            raise ValueError(
                f"{type(self).__name__}: results['keypoint'] has no frames "
                f'(shape {keypoint.shape}, axis 1)'
            )
        # the numpy module draws from the global generator
        rng = np.random.RandomState(self.seed) if self.test_mode else np.random
        # (num_clips, clip_len) frame indices
        inds = begin + np.stack(
            [
                self._clip_frames(end - begin, clip, rng)
                for clip in range(self.num_clips)
            ]
        )
        clips = keypoint[:, inds]  # (C, num_clips, clip_len, V, M)
        if self.num_clips == 1:
            clips = clips[:, 0]
        else:
            clips = clips.transpose(1, 0, 2, 3, 4)
        results['keypoint'] = np.ascontiguousarray(clips, np.float32)
        results['frame_inds'] = inds.reshape(-1).astype(np.int64)
        results['clip_len'] = self.clip_len
        results['num_clips'] = self.num_clips
        return results

    def _clip_frames(self, num_frames: int, clip: int, rng: Any) -> np.ndarray:
        """Frame indices in ``[0, num_frames)`` of one clip."""
        if num_frames >= self.clip_len:
            edges = np.arange(self.clip_len + 1) * num_frames // self.clip_len
            return rng.randint(edges[:-1], edges[1:])
        if not self.test_mode:
            start = rng.randint(num_frames)
        elif num_frames < self.num_clips:
            start = clip % num_frames
        else:
            start = clip * num_frames // self.num_clips
        return (start + np.arange(self.clip_len)) % num_frames

    def __repr__(self) -> str:
        return transform_repr(self, 'clip_len', 'num_clips', 'test_mode',
                              'seed')
