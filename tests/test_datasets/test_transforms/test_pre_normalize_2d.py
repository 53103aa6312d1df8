"""PreNormalize2D: MMAction2's pixel -> [-1, 1] map, on the real Kinetics
clips in pixels; padding persons, PYSKL's score threshold, bad input."""
import numpy as np
import pytest
from mmaction_transforms import (
    from_mm,
    mmaction_pose_transforms,
    real_kinetics_clips,
    to_mm,
)

from stgcn_reg.datasets.transforms import PreNormalize2D
from stgcn_reg.registry import TRANSFORMS

# Kinetics-skeleton videos are 340 x 256; its x, y are in [0, 1]
HEIGHT, WIDTH = 256, 340


@pytest.fixture(scope='module')
def pixel_clips():
    """Real clips in pixels, (x, y, score), undetected joints (0, 0)."""
    clips = []
    for clip in real_kinetics_clips().values():
        clip = clip.copy()
        clip[0] *= WIDTH
        clip[1] *= HEIGHT
        clips.append(clip)
    return clips


def mm_normalized(clip: np.ndarray, **results) -> np.ndarray:
    """MMAction2's output on the persons present, zero-padded after."""
    mm = mmaction_pose_transforms()
    present = np.any(clip != 0, axis=(0, 1, 2))
    out = mm.PreNormalize2D()(dict(keypoint=to_mm(clip[..., present]),
                                   **results))['keypoint']
    padded = np.zeros_like(clip)
    padded[..., present] = from_mm(out)
    return padded


def test_equals_mmaction_with_the_samples_img_shape(pixel_clips):
    for clip in pixel_clips:
        img_shape = (HEIGHT, WIDTH)
        out = PreNormalize2D()(dict(keypoint=clip.copy(),
                                    img_shape=img_shape))['keypoint']
        np.testing.assert_array_equal(
            out, mm_normalized(clip, img_shape=img_shape))
        # undetected joints go to (-1, -1) as in MMAction2, scores stay
        undetected = (clip[0] == 0) & (clip[1] == 0) & np.any(
            clip != 0, axis=(0, 1, 2))
        assert undetected.any()
        np.testing.assert_array_equal(out[:2, undetected], -1)
        np.testing.assert_array_equal(out[2], clip[2])


def test_equals_mmaction_with_the_default_img_shape(pixel_clips):
    clip = pixel_clips[0] * 4
    out = PreNormalize2D()(dict(keypoint=clip.copy()))['keypoint']
    np.testing.assert_array_equal(out, mm_normalized(clip))


def test_padding_persons_stay_zero():
    keypoint = np.zeros((3, 4, 17, 2), np.float32)
    keypoint[:, :, :, 0] = 100.0
    out = PreNormalize2D(img_shape=(200, 400))(
        dict(keypoint=keypoint))['keypoint']
    np.testing.assert_allclose(out[0, ..., 0], -0.5)
    np.testing.assert_allclose(out[1, ..., 0], 0.0)
    assert not out[..., 1].any()


def test_pyskl_threshold_zeroes_low_scores():
    keypoint = np.full((3, 2, 17, 1), 50.0, np.float32)
    keypoint[2] = 0.9
    keypoint[2, 0, 3] = 0.01  # at the threshold: masked
    out = PreNormalize2D(img_shape=(100, 100), threshold=0.01)(
        dict(keypoint=keypoint))['keypoint']
    assert not out[:2, 0, 3].any() and out[2, 0, 3] == np.float32(0.01)
    np.testing.assert_allclose(out[:2, 1], 0.0)  # 50 is the centre
    plain = PreNormalize2D(img_shape=(100, 200))(
        dict(keypoint=keypoint))['keypoint']
    np.testing.assert_allclose(plain[0, 0, 3], -0.5)


def test_bad_arguments_and_inputs_are_refused():
    with pytest.raises(ValueError, match=r'img_shape must be \(height'):
        PreNormalize2D(img_shape=(1080, ))
    with pytest.raises(ValueError, match=r'img_shape must be \(height'):
        PreNormalize2D(img_shape=(0, 1920))
    with pytest.raises(ValueError, match='threshold'):
        PreNormalize2D(threshold='low')
    with pytest.raises(ValueError, match=r"results\['img_shape'\]"):
        PreNormalize2D()(dict(keypoint=np.ones((3, 2, 17, 1), np.float32),
                              img_shape='hd'))
    with pytest.raises(ValueError, match='C=1'):
        PreNormalize2D()(dict(keypoint=np.ones((1, 2, 17, 1), np.float32)))


def test_built_from_the_registry(default_scope):
    transform = TRANSFORMS.build(dict(type='PreNormalize2D'))
    assert isinstance(transform, PreNormalize2D)
    assert repr(transform) == ('PreNormalize2D(img_shape=(1080, 1920), '
                               'threshold=None)')
