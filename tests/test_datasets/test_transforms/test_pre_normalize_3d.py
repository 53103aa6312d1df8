"""PreNormalize3D on hand-made 3D skeletons with known poses."""
import numpy as np
import pytest

from stgcn_reg.datasets.transforms import PreNormalize3D
from stgcn_reg.registry import TRANSFORMS

SPINE_BASE, SPINE_MID, L_SHOULDER, R_SHOULDER = 0, 1, 4, 8


def random_rotation(seed: int) -> np.ndarray:
    """A proper rotation (det +1) from a QR decomposition."""
    q, r = np.linalg.qr(np.random.RandomState(seed).normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def upright_body(num_frames: int = 6, seed: int = 0) -> np.ndarray:
    """(3, T, 25) joints of a body whose spine is on +z, shoulders on +x.

    The spine (0 -> 1) and the shoulders (4 -> 8) are perpendicular; the
    other joints are arbitrary and move a little from frame to frame.
    """
    rng = np.random.RandomState(seed)
    body = rng.uniform(-0.5, 0.5, (3, num_frames, 25))
    body += 0.05 * np.arange(num_frames)[None, :, None]
    body[:, 0, SPINE_BASE] = (0.1, 0.2, 1.0)
    body[:, 0, SPINE_MID] = (0.1, 0.2, 1.3)
    body[:, 0, L_SHOULDER] = (-0.1, 0.2, 1.5)
    body[:, 0, R_SHOULDER] = (0.3, 0.2, 1.5)
    return body


def place(body: np.ndarray, rotation: np.ndarray,
          shift: np.ndarray) -> np.ndarray:
    """Rotate and shift a ``(3, T, V)`` body into camera coordinates."""
    return np.einsum('ij,jtv->itv', rotation, body) + shift[:, None, None]


def test_rigid_motion_of_the_camera_is_undone():
    body = upright_body()
    keypoint = np.zeros((3, 6, 25, 2), np.float32)
    keypoint[..., 0] = place(body, random_rotation(1), np.array([2., -1, 3]))
    out = PreNormalize3D()(dict(keypoint=keypoint))
    result = out['keypoint']
    assert result.shape == (3, 6, 25, 2) and result.dtype == np.float32
    expected = body - body[:, :1, SPINE_MID:SPINE_MID + 1]
    np.testing.assert_allclose(result[..., 0], expected, atol=1e-5)
    assert not result[..., 1].any()  # the absent person stays zero
    np.testing.assert_allclose(
        out['body_center'], keypoint[:, 0, SPINE_MID, 0], rtol=1e-6)


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


@pytest.mark.parametrize('seed', [0, 1, 2, 3])
def test_spine_on_z_and_shoulders_on_x(seed):
    rng = np.random.RandomState(seed)
    keypoint = rng.uniform(-1, 1, (3, 5, 25, 1)).astype(np.float32)
    # shoulders perpendicular to the spine, in a random orientation
    spine = rng.normal(size=3)
    shoulders = np.cross(spine, rng.normal(size=3))
    keypoint[:, 0, SPINE_MID, 0] = keypoint[:, 0, SPINE_BASE, 0] + spine
    keypoint[:, 0, R_SHOULDER, 0] = (
        keypoint[:, 0, L_SHOULDER, 0] + shoulders)
    result = PreNormalize3D()(dict(keypoint=keypoint))['keypoint'][..., 0]
    new_spine = result[:, 0, SPINE_MID] - result[:, 0, SPINE_BASE]
    new_shoulders = result[:, 0, R_SHOULDER] - result[:, 0, L_SHOULDER]
    np.testing.assert_allclose(unit(new_spine), [0, 0, 1], atol=1e-5)
    np.testing.assert_allclose(unit(new_shoulders), [1, 0, 0], atol=1e-5)
    # a rotation: lengths are kept
    np.testing.assert_allclose(np.linalg.norm(new_spine),
                               np.linalg.norm(spine), rtol=1e-5)
    assert not result[:, 0, SPINE_MID].any()  # the centre itself


def test_oblique_shoulders_still_land_on_x():
    keypoint = np.random.RandomState(5).uniform(
        -1, 1, (3, 3, 25, 1)).astype(np.float32)
    result = PreNormalize3D()(dict(keypoint=keypoint))['keypoint'][..., 0]
    shoulders = result[:, 0, R_SHOULDER] - result[:, 0, L_SHOULDER]
    np.testing.assert_allclose(unit(shoulders), [1, 0, 0], atol=1e-5)


def test_spine_pointing_down_is_turned_up():
    body = upright_body(num_frames=2)
    flipped = np.diag([1.0, -1.0, -1.0])  # half turn about x
    keypoint = place(body, flipped, np.zeros(3))[..., None]
    result = PreNormalize3D()(dict(keypoint=keypoint.astype(
        np.float32)))['keypoint'][..., 0]
    spine = result[:, 0, SPINE_MID] - result[:, 0, SPINE_BASE]
    shoulders = result[:, 0, R_SHOULDER] - result[:, 0, L_SHOULDER]
    np.testing.assert_allclose(unit(spine), [0, 0, 1], atol=1e-6)
    np.testing.assert_allclose(unit(shoulders), [1, 0, 0], atol=1e-6)


def test_main_person_first_and_empty_frames_dropped():
    rng = np.random.RandomState(0)
    keypoint = np.zeros((3, 12, 25, 2), np.float32)
    a_frames = [3, 4, 6]  # person 0
    b_frames = [1, 2, 3, 4, 6, 7, 8]  # person 1: the main person
    keypoint[..., 0][:, a_frames] = rng.uniform(1, 2, (3, 3, 25))
    keypoint[..., 1][:, b_frames] = rng.uniform(1, 2, (3, 7, 25))
    keypoint[:, 7, 10, 1] = 0  # one missing joint of the main person
    out = PreNormalize3D(align_spine=False)(dict(keypoint=keypoint))
    result = out['keypoint']
    assert result.shape == (3, 7, 25, 2)
    center = keypoint[:, 1, SPINE_MID, 1]
    present = np.any(keypoint != 0, axis=0)
    expected = np.where(present, keypoint - center[:, None, None, None], 0)
    np.testing.assert_allclose(result[..., 0], expected[..., 1][:, b_frames],
                               atol=1e-6)
    np.testing.assert_allclose(result[..., 1], expected[..., 0][:, b_frames],
                               atol=1e-6)
    # frames 0, 5 and the padding 9..11 are gone; the other person keeps
    # its frames 3, 4, 6 (output positions 2, 3, 4)
    assert np.any(result[..., 0] != 0, axis=(0, 2)).all()
    assert np.flatnonzero(np.any(result[..., 1] != 0, axis=(0, 2))
                          ).tolist() == [2, 3, 4]
    assert not result[:, 5, 10, 0].any()  # missing stays missing


def test_tie_keeps_person_order():
    keypoint = np.zeros((3, 4, 25, 2), np.float32)
    keypoint[:, :2, :, 0] = 1.0
    keypoint[:, 2:, :, 1] = 2.0
    result = PreNormalize3D(align_spine=False,
                            align_center=False)(dict(keypoint=keypoint))
    np.testing.assert_array_equal(result['keypoint'], keypoint[:, :2])


def test_all_zero_sample_is_unchanged():
    keypoint = np.zeros((3, 5, 25, 2), np.float32)
    out = PreNormalize3D()(dict(keypoint=keypoint))
    np.testing.assert_array_equal(out['keypoint'], keypoint)


def test_2d_poses_and_bad_joints_are_refused():
    with pytest.raises(ValueError, match=r'C=2.*2D'):
        PreNormalize3D()(dict(keypoint=np.ones((2, 4, 25, 1), np.float32)))
    with pytest.raises(ValueError, match=r'V=5'):
        PreNormalize3D()(dict(keypoint=np.ones((3, 4, 5, 1), np.float32)))
    with pytest.raises(ValueError, match='xaxis'):
        PreNormalize3D(xaxis=(4, ))


def test_built_from_the_registry(default_scope):
    transform = TRANSFORMS.build(dict(type='PreNormalize3D', xaxis=[4, 8]))
    assert isinstance(transform, PreNormalize3D)
    assert 'xaxis=(4, 8)' in repr(transform)
