"""UniformSampleFrames draws MMAction2 1.2.0's frames (and PYSKL's with
sampling='pyskl'), on the real NTU clips trimmed or looped to the three
length regimes of clip_len 100: shorter, one to two times, longer."""
import numpy as np
import pytest
from mmaction_transforms import (
    from_mm,
    looped,
    mmaction_format_gcn_input,
    mmaction_pose_transforms,
    real_ntu_clips,
    to_mm,
)

from stgcn_reg.datasets.transforms import UniformSampleFrames

# 60: looped; 100, 103, 124, 199: one to two times; 200, 250: longer
LENGTHS = (60, 100, 103, 124, 199, 200, 250)
CLIP_LEN = 100


@pytest.fixture(scope='module')
def mm():
    return mmaction_pose_transforms()


@pytest.fixture(scope='module')
def clips():
    """Real clips, each length made from a different real sample."""
    real = list(real_ntu_clips().values())
    return {length: looped(real[i % len(real)], length)
            for i, length in enumerate(LENGTHS)}


def mm_sample(mm, clip: np.ndarray, num_clips: int, test_mode: bool):
    """MMAction2's frames and its sampled, decoded, formatted array."""
    results = mm.UniformSampleFrames(CLIP_LEN, num_clips, test_mode)(
        dict(keypoint=to_mm(clip), total_frames=clip.shape[1]))
    frames = results['frame_inds'].copy()
    results = mm.PoseDecode()(results)
    results = mmaction_format_gcn_input(num_person=2)(results)
    return frames, from_mm(results['keypoint'])


def ours(clip: np.ndarray, num_clips: int, test_mode: bool, **kwargs):
    return UniformSampleFrames(CLIP_LEN, num_clips, test_mode, **kwargs)(
        dict(keypoint=clip.copy()))


@pytest.mark.parametrize('num_clips', [1, 10])
@pytest.mark.parametrize('length', LENGTHS)
def test_test_mode_draws_mmactions_frames(mm, clips, length, num_clips):
    frames, expected = mm_sample(mm, clips[length], num_clips, True)
    np.random.seed(7)
    out = ours(clips[length], num_clips, True)
    assert np.random.rand() == np.random.RandomState(7).rand()  # untouched
    np.testing.assert_array_equal(out['frame_inds'], frames)
    keypoint = out['keypoint'] if num_clips > 1 else out['keypoint'][None]
    np.testing.assert_array_equal(keypoint, expected)


@pytest.mark.parametrize('num_clips', [1, 10])
@pytest.mark.parametrize('length', LENGTHS)
def test_training_draws_mmactions_frames_for_the_same_seed(
        mm, clips, length, num_clips):
    np.random.seed(length + num_clips)
    frames, expected = mm_sample(mm, clips[length], num_clips, False)
    after_mm = np.random.rand()
    np.random.seed(length + num_clips)
    out = ours(clips[length], num_clips, False)
    assert np.random.rand() == after_mm  # the same draws were used up
    np.testing.assert_array_equal(out['frame_inds'], frames)
    keypoint = out['keypoint'] if num_clips > 1 else out['keypoint'][None]
    np.testing.assert_array_equal(keypoint, expected)


def test_the_103_frame_clip_of_the_issue(mm, clips):
    frames, _ = mm_sample(mm, clips[103], 1, True)
    out = ours(clips[103], 1, True)
    np.testing.assert_array_equal(out['frame_inds'], frames)
    assert out['frame_inds'][:5].tolist() == [0, 2, 4, 5, 6]
    # the earlier behaviour, one frame per even segment, kept by name
    old = ours(clips[103], 1, True, sampling='valid_segments')
    assert old['frame_inds'][:5].tolist() == [0, 1, 2, 3, 4]


def pyskl_frames(mm, length: int, num_clips: int, test_mode: bool):
    """PYSKL's frames as MMAction2's draws plus PYSKL's one extra uniform
    number (its p_interval ratio) before each clip."""
    sampler = mm.UniformSampleFrames(CLIP_LEN, num_clips=1)
    if test_mode:
        np.random.seed(255)
    clips = []
    for clip in range(num_clips):
        np.random.rand()
        if test_mode and length < CLIP_LEN:  # no draw: spread starts
            start = clip * length // num_clips
            clips.append((start + np.arange(CLIP_LEN)) % length)
        else:
            clips.append(sampler._get_train_clips(length, CLIP_LEN) % length)
    return np.concatenate(clips)


@pytest.mark.parametrize('test_mode', [True, False])
@pytest.mark.parametrize('num_clips', [1, 10])
@pytest.mark.parametrize('length', [60, 103, 250])
def test_pyskl_sampling_adds_one_draw_per_clip(mm, clips, length, num_clips,
                                               test_mode):
    state = np.random.get_state()
    np.random.seed(length)
    expected = pyskl_frames(mm, length, num_clips, test_mode)
    np.random.seed(length)
    out = ours(clips[length], num_clips, test_mode, sampling='pyskl')
    np.random.set_state(state)
    np.testing.assert_array_equal(out['frame_inds'], expected)
    if test_mode and length >= CLIP_LEN:  # they differ from MMAction2's
        mm_frames, _ = mm_sample(mm, clips[length], num_clips, True)
        assert not np.array_equal(out['frame_inds'], mm_frames)
