"""Uniform temporal sampling of PYSKL's recipe: one frame per segment."""

from typing import Any

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr
from .sampling import _valid_range

SAMPLINGS = ('mmaction', 'pyskl', 'valid_segments')


def _looped(start: int, clip_len: int, num_frames: int) -> np.ndarray:
    """``clip_len`` consecutive frames from ``start``, wrapping around."""
    return (start + np.arange(clip_len)) % num_frames


def _short_start(clip: int, num_clips: int, num_frames: int,
                 test_mode: bool, rng: Any) -> int:
    """First frame of a looped clip: random in training, spread in
    testing."""
    if not test_mode:
        return int(rng.randint(0, num_frames))
    if num_frames < num_clips:
        return clip % num_frames
    return clip * num_frames // num_clips


def mmaction_clip(num_frames: int, clip_len: int, clip: int,
                  num_clips: int, test_mode: bool, rng: Any) -> np.ndarray:
    """One clip's frames as MMAction2 1.2.0 draws them from ``rng``.

    - ``num_frames < clip_len``: looped from a start frame;
    - ``clip_len <= num_frames < 2 * clip_len``: every frame once but
      ``num_frames - clip_len`` skipped ones: of the ``clip_len + 1`` gaps
      around the frames, that many, drawn without replacement, hold one
      skipped frame each (103 frames to 100 may give 0, 2, 4, 5, ...);
    - longer: one random frame from each of ``clip_len`` equal segments.
    """
    if num_frames < clip_len:
        start = _short_start(clip, num_clips, num_frames, test_mode, rng)
        return _looped(start, clip_len, num_frames)
    if num_frames < 2 * clip_len:
        gaps = rng.choice(clip_len + 1, num_frames - clip_len, replace=False)
        skips = np.zeros(clip_len + 1, np.int64)
        skips[gaps] = 1
        return np.arange(clip_len) + np.cumsum(skips)[:clip_len]
    edges = np.arange(clip_len + 1) * num_frames // clip_len
    return edges[:-1] + rng.randint(np.diff(edges))


def valid_segments_clip(num_frames: int, clip_len: int, clip: int,
                        num_clips: int, test_mode: bool,
                        rng: Any) -> np.ndarray:
    """One clip's frames: a random frame from each of ``clip_len`` equal
    segments, or looped when there are fewer frames."""
    if num_frames < clip_len:
        start = _short_start(clip, num_clips, num_frames, test_mode, rng)
        return _looped(start, clip_len, num_frames)
    edges = np.arange(clip_len + 1) * num_frames // clip_len
    return rng.randint(edges[:-1], edges[1:])


@TRANSFORMS.register_module()
class UniformSampleFrames:
    """Sample ``clip_len`` frames spread over the whole clip, ``num_clips``
    times.

    ``sampling`` says which frames count and how they are drawn:

    - ``'mmaction'`` (default): exactly the frames of MMAction2 1.2.0's
      ``UniformSampleFrames`` over all T frames of the input (see
      :func:`mmaction_clip`), with the same calls on the same generator,
      so the same numpy seed gives the same frames.
    - ``'pyskl'``: exactly PYSKL's: the same, but before each clip PYSKL
      draws one uniform number (its ``p_interval`` ratio, unused at its
      default 1) that shifts the generator, so its frames differ from
      MMAction2's for the same seed.
    - ``'valid_segments'`` (this package's earlier behaviour): only the
      frames from the first to the last nonzero frame count; they are
      split into ``clip_len`` equal segments (up to rounding) and one
      random frame is taken from each, however few frames there are
      per segment.

    A clip with fewer frames than ``clip_len`` is looped in every mode:
    ``clip_len`` consecutive frames from a start frame, wrapping around,
    so every frame appears. In testing the clips of a looped clip start
    at evenly spaced frames.

    In training (``test_mode=False``) the draws use numpy's global
    generator, which mmengine seeds per worker. In testing they use a
    generator of their own seeded with ``seed`` at every call (the same
    numbers as MMAction2's ``np.random.seed(seed)``), so the same clip
    always gives the same frames whatever happened before, and the
    global generator is left untouched.

    With ``num_clips == 1`` the output keeps the ``(C, T, V, M)`` layout;
    with more, the clips are stacked into ``(num_clips, C, clip_len, V,
    M)``, which :class:`~stgcn_reg.models.SkeletonRecognizer` recognises
    as a multi-clip sample. Put this transform last (feature transforms
    such as :class:`GenSkeFeat` go before it, on the full-rate frames).

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
        sampling (str): ``'mmaction'``, ``'pyskl'`` or
            ``'valid_segments'``, see above. Defaults to ``'mmaction'``.

    Examples:
        >>> import numpy as np
        >>> keypoint = np.ones((3, 300, 25, 2), dtype=np.float32)
        >>> sample = UniformSampleFrames(100, num_clips=10, test_mode=True)
        >>> sample(dict(keypoint=keypoint))['keypoint'].shape
        (10, 3, 100, 25, 2)
    """

    def __init__(self, clip_len: int, num_clips: int = 1,
                 test_mode: bool = False, seed: int = 255,
                 sampling: str = 'mmaction') -> None:
        self.clip_len = check_int('clip_len', clip_len, 1)
        self.num_clips = check_int('num_clips', num_clips, 1)
        self.test_mode = bool(test_mode)
        self.seed = check_int('seed', seed, 0)
        if sampling not in SAMPLINGS:
            raise ValueError(
                f'UniformSampleFrames: sampling must be one of {SAMPLINGS}, '
                f'got {sampling!r}')
        self.sampling = sampling

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        begin, end = 0, keypoint.shape[1]
        if self.sampling == 'valid_segments':
            begin, end = _valid_range(keypoint)
            if begin == end:  # all zero: sample the zeros
                begin, end = 0, keypoint.shape[1]
        if end == begin:
            raise ValueError(
                f"{type(self).__name__}: results['keypoint'] has no frames "
                f'(shape {keypoint.shape}, axis 1)'
            )
        inds = begin + self.frame_indices(end - begin)
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

    def frame_indices(self, num_frames: int) -> np.ndarray:
        """``(num_clips, clip_len)`` frame indices in ``[0, num_frames)``."""
        # the numpy module draws from the global generator
        rng = np.random.RandomState(self.seed) if self.test_mode else np.random
        draw = (valid_segments_clip if self.sampling == 'valid_segments'
                else mmaction_clip)
        clips = []
        for clip in range(self.num_clips):
            if self.sampling == 'pyskl':
                rng.rand()  # PYSKL's p_interval ratio, 1 at its default
            clips.append(draw(num_frames, self.clip_len, clip,
                              self.num_clips, self.test_mode, rng))
        return np.stack(clips)

    def __repr__(self) -> str:
        return transform_repr(self, 'clip_len', 'num_clips', 'test_mode',
                              'seed', 'sampling')
