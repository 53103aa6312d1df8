"""UniformSampleFrames: one frame per segment, looping, seeded test draw.

The tests of the valid frames and even segments use
``sampling='valid_segments'`` (the earlier default); the default,
MMAction2's draw, is compared with MMAction2 in
test_uniform_sample_mmaction.py.
"""
import numpy as np
import pytest

from stgcn_reg.datasets.transforms import UniformSampleFrames
from stgcn_reg.registry import TRANSFORMS


def frame_numbered(num_frames: int, padding: int = 0) -> np.ndarray:
    """(3, T, 2, 1) keypoints whose value is ``frame index + 1``; zero
    padding frames at the end."""
    keypoint = np.zeros((3, num_frames + padding, 2, 1), np.float32)
    keypoint[:, :num_frames] = (np.arange(num_frames) + 1)[None, :, None,
                                                           None]
    return keypoint


def sampled_frames(keypoint: np.ndarray) -> np.ndarray:
    """Recover the frame indices from a frame-numbered output."""
    return keypoint[0, ..., 0, 0].astype(int) - 1


@pytest.mark.parametrize('num_frames', [10, 15, 19, 20, 57, 300])
def test_one_frame_from_each_segment(num_frames):
    np.random.seed(0)
    transform = UniformSampleFrames(clip_len=10, sampling='valid_segments')
    for _ in range(20):
        out = transform(dict(keypoint=frame_numbered(num_frames)))
        frames = sampled_frames(out['keypoint'])
        assert out['keypoint'].shape == (3, 10, 2, 1)
        np.testing.assert_array_equal(frames, out['frame_inds'])
        # the 10 segments [i * T // 10, (i + 1) * T // 10) split [0, T)
        edges = np.arange(11) * num_frames // 10
        segment = np.searchsorted(edges, frames, side='right') - 1
        np.testing.assert_array_equal(segment, np.arange(10))
        assert np.all(np.diff(frames) > 0)


def test_sampling_covers_the_whole_clip():
    np.random.seed(1)
    transform = UniformSampleFrames(clip_len=8, sampling='valid_segments')
    seen = set()
    for _ in range(300):
        out = transform(dict(keypoint=frame_numbered(40, padding=20)))
        seen.update(sampled_frames(out['keypoint']).tolist())
    # every valid frame is drawn sometime, padding never
    assert seen == set(range(40))


def test_short_clip_is_looped_through_every_frame():
    np.random.seed(2)
    out = UniformSampleFrames(clip_len=12, sampling='valid_segments')(
        dict(keypoint=frame_numbered(5, padding=3)))
    frames = sampled_frames(out['keypoint'])
    assert set(frames.tolist()) == set(range(5))
    np.testing.assert_array_equal(np.diff(frames) % 5, 1)


def test_leading_empty_frames_are_skipped():
    keypoint = np.concatenate(
        [np.zeros((3, 7, 2, 1), np.float32), frame_numbered(30)], axis=1)
    out = UniformSampleFrames(clip_len=6, test_mode=True,
                              sampling='valid_segments')(
        dict(keypoint=keypoint))
    assert out['keypoint'].all()
    assert out['frame_inds'].min() >= 7


def test_test_draw_is_reproducible_and_leaves_global_rng_alone():
    transform = UniformSampleFrames(clip_len=10, num_clips=5,
                                    test_mode=True)
    np.random.seed(0)
    first = transform(dict(keypoint=frame_numbered(100)))['keypoint']
    after_first = np.random.rand()
    np.random.seed(123)
    np.random.rand(17)
    second = transform(dict(keypoint=frame_numbered(100)))['keypoint']
    np.testing.assert_array_equal(first, second)
    np.random.seed(0)
    assert np.random.rand() == after_first  # global state was not used
    other_seed = UniformSampleFrames(clip_len=10, num_clips=5,
                                     test_mode=True, seed=7)
    third = other_seed(dict(keypoint=frame_numbered(100)))['keypoint']
    assert not np.array_equal(first, third)


def test_training_draw_follows_the_global_seed():
    transform = UniformSampleFrames(clip_len=10)
    np.random.seed(3)
    first = transform(dict(keypoint=frame_numbered(100)))['keypoint']
    np.random.seed(3)
    again = transform(dict(keypoint=frame_numbered(100)))['keypoint']
    different = transform(dict(keypoint=frame_numbered(100)))['keypoint']
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, different)


def test_multi_clip_layout_and_distinct_clips():
    transform = UniformSampleFrames(clip_len=10, num_clips=4,
                                    test_mode=True)
    out = transform(dict(keypoint=frame_numbered(100)))
    clips = out['keypoint']
    assert clips.shape == (4, 3, 10, 2, 1)
    assert out['num_clips'] == 4 and out['clip_len'] == 10
    for clip in clips:
        segment = sampled_frames(clip) * 10 // 100
        np.testing.assert_array_equal(segment, np.arange(10))
    assert len({sampled_frames(clip).tobytes() for clip in clips}) == 4


def test_short_clip_test_clips_start_at_spread_frames():
    out = UniformSampleFrames(clip_len=8, num_clips=3, test_mode=True)(
        dict(keypoint=frame_numbered(6)))
    starts = [sampled_frames(clip)[0] for clip in out['keypoint']]
    assert starts == [0, 2, 4]


def test_default_counts_every_frame_padding_included():
    np.random.seed(4)
    transform = UniformSampleFrames(clip_len=8)
    seen = set()
    for _ in range(300):
        out = transform(dict(keypoint=frame_numbered(40, padding=20)))
        seen.update(out['frame_inds'].tolist())
    assert seen == set(range(60))  # MMAction2's total_frames is all of T


@pytest.mark.parametrize('num_frames', [10, 13, 19])
def test_default_between_one_and_two_clips_skips_frames(num_frames):
    np.random.seed(5)
    for _ in range(20):
        out = UniformSampleFrames(clip_len=10)(
            dict(keypoint=frame_numbered(num_frames)))
        frames = out['frame_inds']
        np.testing.assert_array_equal(sampled_frames(out['keypoint']),
                                      frames)
        # every frame at most once, num_frames - clip_len of them skipped
        assert np.all(np.diff(frames) >= 1) and np.all(np.diff(frames) <= 2)
        assert 0 <= frames[0] <= 1 and frames[-1] <= num_frames - 1


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='clip_len'):
        UniformSampleFrames(clip_len=0)
    with pytest.raises(ValueError, match='num_clips'):
        UniformSampleFrames(clip_len=5, num_clips=1.5)
    with pytest.raises(ValueError, match='no frames'):
        UniformSampleFrames(clip_len=5)(
            dict(keypoint=np.zeros((3, 0, 2, 1), np.float32)))
    with pytest.raises(ValueError, match="sampling must be one of"):
        UniformSampleFrames(clip_len=5, sampling='even')


def test_built_from_the_registry(default_scope):
    transform = TRANSFORMS.build(
        dict(type='UniformSampleFrames', clip_len=100, num_clips=10,
             test_mode=True))
    assert isinstance(transform, UniformSampleFrames)
    assert repr(transform) == ('UniformSampleFrames(clip_len=100, '
                               'num_clips=10, test_mode=True, seed=255, '
                               "sampling='mmaction')")
