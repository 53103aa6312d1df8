import numpy as np
import pytest
from mmengine.registry import init_default_scope

from stgcn_reg.datasets.transforms import CenterSkeleton, Normalize
from stgcn_reg.registry import TRANSFORMS


def make_keypoint(seed=0):
    rng = np.random.RandomState(seed)
    keypoint = rng.uniform(0.5, 2.0, (3, 20, 5, 2)).astype(np.float32)
    keypoint[:, 12:] = 0
    keypoint[:, :, 4, 1] = 0
    keypoint[:, :3, :, 1] = 0  # person 1 appears from frame 3
    return keypoint


def test_normalize_values_and_missing_zero():
    keypoint = make_keypoint()
    present = np.any(keypoint != 0, axis=0)
    mean, std = (1.0, 0.5, -1.0), (2.0, 0.25, 4.0)
    out = Normalize(mean, std)(dict(keypoint=keypoint.copy(), label=0))
    result = out['keypoint']
    assert result.shape == keypoint.shape and result.dtype == np.float32
    assert out['label'] == 0
    for c in range(3):
        expected = np.where(present, (keypoint[c] - mean[c]) / std[c], 0)
        np.testing.assert_allclose(result[c], expected, rtol=1e-6)
    assert not result[:, ~present].any()
    assert result[:, present].all()


def test_normalize_channel_mismatch():
    transform = Normalize([0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r'len\(mean\)=2.*C=3'):
        transform(dict(keypoint=make_keypoint()))


@pytest.mark.parametrize(
    'mean, std, match',
    [
        ([0, 0, 0], [1, 1], 'same length'),
        ([], [], 'mean'),
        ([0, 0], [1, 0], 'std'),
        ([0, float('inf')], [1, 1], 'mean'),
    ],
)
def test_normalize_bad_args(mean, std, match):
    with pytest.raises(ValueError, match=match):
        Normalize(mean, std)


def test_normalize_bad_shape():
    with pytest.raises(ValueError, match=r'\(C, T, V, M\).*\(3, 20, 5\)'):
        Normalize([0] * 3, [1] * 3)(dict(keypoint=np.ones((3, 20, 5))))


def test_center_skeleton():
    keypoint = make_keypoint()
    present = np.any(keypoint != 0, axis=0)
    out = CenterSkeleton(1)(dict(keypoint=keypoint.copy()))['keypoint']
    assert out.shape == keypoint.shape and out.dtype == np.float32
    for person, first in ((0, 0), (1, 3)):
        center = keypoint[:, first, 1, person]
        mask = present[:, :, person]
        expected = np.where(
            mask, keypoint[..., person] - center[:, None, None], 0
        )
        np.testing.assert_allclose(out[..., person], expected, atol=1e-6)
        np.testing.assert_array_equal(out[:, first, 1, person], 0)
    assert not out[:, ~present].any()


def test_center_skeleton_num_coords_and_absent_person():
    keypoint = make_keypoint()
    keypoint[:, :, :, 1] = 0
    out = CenterSkeleton(0, num_coords=2)(dict(keypoint=keypoint.copy()))
    out = out['keypoint']
    np.testing.assert_array_equal(out[2], keypoint[2])
    center = keypoint[:2, 0, 0, 0]
    np.testing.assert_allclose(
        out[:2, :12, :, 0],
        keypoint[:2, :12, :, 0] - center[:, None, None],
        atol=1e-6,
    )
    assert not out[:, 12:].any() and not out[..., 1].any()


def test_center_skeleton_bad_args():
    with pytest.raises(ValueError, match='center_joint'):
        CenterSkeleton(-1)
    with pytest.raises(ValueError, match='num_coords'):
        CenterSkeleton(0, num_coords=0)
    with pytest.raises(ValueError, match='center_joint=7.*V=5'):
        CenterSkeleton(7)(dict(keypoint=make_keypoint()))


def test_build_and_repr():
    init_default_scope('stgcn_reg')
    transform = TRANSFORMS.build(
        dict(type='Normalize', mean=[0, 0, 0], std=[1, 2, 4])
    )
    assert isinstance(transform, Normalize)
    assert repr(transform) == (
        'Normalize(mean=[0.0, 0.0, 0.0], std=[1.0, 2.0, 4.0])'
    )
    center = TRANSFORMS.build(dict(type='CenterSkeleton', center_joint=1))
    assert isinstance(center, CenterSkeleton)
    assert repr(center) == 'CenterSkeleton(center_joint=1, num_coords=None)'
