import numpy as np
import pytest
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from stgcn_reg.datasets.transforms import JointToBone, ToMotion
from stgcn_reg.registry import TRANSFORMS

# 0-based NTU joints (the documentation numbers them from 1)
BASE_SPINE, MID_SPINE, NECK, HEAD = 0, 1, 2, 3
LEFT_HAND, SPINE_SHOULDER, LEFT_TIP, LEFT_THUMB = 7, 20, 21, 22
# 0-based COCO joints
NOSE, LEFT_SHOULDER, LEFT_ELBOW, LEFT_WRIST = 0, 5, 7, 9


def ntu_skeleton(frames=3, persons=1, seed=0):
    """(3, frames, 25, persons) joints in [1, 2), so every one is present."""
    rng = np.random.RandomState(seed)
    shape = (3, frames, 25, persons)
    return rng.uniform(1, 2, shape).astype(np.float32)


def bones(keypoint, **kwargs):
    results = dict(keypoint=keypoint.copy(), label=4, sample_name='a')
    out = JointToBone(**kwargs)(results)
    assert out['label'] == 4 and out['sample_name'] == 'a'
    return out['keypoint']


def motion(keypoint, **kwargs):
    return ToMotion(**kwargs)(dict(keypoint=keypoint.copy()))['keypoint']


def test_ntu_parents_point_toward_spine_shoulder():
    parents = JointToBone('ntu-rgb+d').parents
    assert len(parents) == 25
    assert parents[HEAD] == NECK
    assert parents[NECK] == SPINE_SHOULDER
    assert parents[MID_SPINE] == SPINE_SHOULDER
    assert parents[BASE_SPINE] == MID_SPINE
    assert parents[SPINE_SHOULDER] == SPINE_SHOULDER  # the center
    # hand tip -> thumb -> hand, as the layout chains them
    assert parents[LEFT_TIP] == LEFT_THUMB
    assert parents[LEFT_THUMB] == LEFT_HAND


def test_ntu_bones_by_hand():
    keypoint = ntu_skeleton(frames=2)
    keypoint[:, 0, HEAD, 0] = [0.5, 2.0, 3.0]
    keypoint[:, 0, NECK, 0] = [0.25, 1.5, 3.0]
    keypoint[:, 0, SPINE_SHOULDER, 0] = [0.25, 1.25, 2.5]
    keypoint[:, 0, MID_SPINE, 0] = [0.25, 0.75, 2.5]
    keypoint[:, 0, BASE_SPINE, 0] = [0.5, 0.25, 2.0]
    out = bones(keypoint, layout='ntu-rgb+d')
    assert out.shape == keypoint.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out[:, 0, HEAD, 0], [0.25, 0.5, 0.0])
    np.testing.assert_array_equal(out[:, 0, NECK, 0], [0.0, 0.25, 0.5])
    np.testing.assert_array_equal(out[:, 0, MID_SPINE, 0], [0.0, -0.5, 0.0])
    np.testing.assert_array_equal(out[:, 0, BASE_SPINE, 0], [0.25, -0.5, -0.5])
    # the center joint's bone is zero at every frame
    np.testing.assert_array_equal(out[:, :, SPINE_SHOULDER], 0)
    # every other bone is its joint minus its parent
    parents = list(JointToBone('ntu-rgb+d').parents)
    np.testing.assert_allclose(out, keypoint - keypoint[:, :, parents])


def test_center_to_self_joint_keeps_the_center_position():
    keypoint = ntu_skeleton()
    out = bones(keypoint, layout='ntu-rgb+d', center_to_self='joint')
    np.testing.assert_array_equal(
        out[:, :, SPINE_SHOULDER], keypoint[:, :, SPINE_SHOULDER]
    )
    np.testing.assert_array_equal(
        out[:, :, HEAD], keypoint[:, :, HEAD] - keypoint[:, :, NECK]
    )


def test_coco_xy_bones_keep_the_joint_score():
    rng = np.random.RandomState(1)
    keypoint = rng.uniform(0.1, 0.9, (3, 2, 17, 1)).astype(np.float32)
    keypoint[:, 0, LEFT_WRIST, 0] = [0.5, 0.75, 0.25]  # x, y, score
    keypoint[:, 0, LEFT_ELBOW, 0] = [0.25, 0.5, 0.75]
    out = bones(keypoint, layout='coco', coords=2)
    np.testing.assert_array_equal(out[:, 0, LEFT_WRIST, 0], [0.25, 0.25, 0.25])
    assert JointToBone('coco').parents[LEFT_ELBOW] == LEFT_SHOULDER
    assert JointToBone('coco').parents[LEFT_SHOULDER] == NOSE
    # the center (nose) bone: zero vector, the nose's own score
    np.testing.assert_array_equal(out[:2, :, NOSE], 0)
    np.testing.assert_array_equal(out[2], keypoint[2])


def test_missing_joints_and_missing_parents_give_zero_bones():
    keypoint = ntu_skeleton(frames=5, persons=2)
    keypoint[:, 3:] = 0  # padding frames
    keypoint[:, :, :, 1] = 0  # absent second person
    keypoint[:, 0, HEAD, 0] = 0  # head missing at frame 0
    keypoint[:, 1, NECK, 0] = 0  # neck missing at frame 1
    out = bones(keypoint, layout='ntu-rgb+d')
    assert not out[:, 3:].any()
    assert not out[..., 1].any()
    np.testing.assert_array_equal(out[:, 0, HEAD, 0], 0)
    # the head is present at frame 1 but its parent is not: no bone, and
    # in particular not the head's absolute position
    np.testing.assert_array_equal(out[:, 1, HEAD, 0], 0)
    np.testing.assert_array_equal(out[:, 1, NECK, 0], 0)  # itself missing
    np.testing.assert_allclose(
        out[:, 2, HEAD, 0], keypoint[:, 2, HEAD, 0] - keypoint[:, 2, NECK, 0]
    )
    # a missing parent also zeroes the score channel of (x, y, score) data
    out = bones(keypoint, layout='ntu-rgb+d', coords=2)
    np.testing.assert_array_equal(out[:, 1, HEAD, 0], 0)
    assert out[2, 2, HEAD, 0] == keypoint[2, 2, HEAD, 0]


def test_bones_are_translation_invariant():
    keypoint = ntu_skeleton(frames=6, persons=2, seed=3)
    keypoint[:, 4:] = 0
    keypoint[:, 1, NECK, 1] = 0
    present = np.any(keypoint != 0, axis=0)
    shift = np.array([3.0, -2.5, 0.75], dtype=np.float32)[:, None, None, None]
    shifted = np.where(present, keypoint + shift, 0).astype(np.float32)
    np.testing.assert_allclose(
        bones(shifted, layout='ntu-rgb+d'),
        bones(keypoint, layout='ntu-rgb+d'),
        atol=1e-5,
    )


def test_bone_input_dtype_is_cast_to_float32():
    keypoint = ntu_skeleton().astype(np.float64)
    out = bones(keypoint, layout='ntu-rgb+d')
    assert out.dtype == np.float32 and out.shape == keypoint.shape


def test_inputs_are_not_modified_in_place():
    keypoint = ntu_skeleton()
    original = keypoint.copy()
    JointToBone('ntu-rgb+d')(dict(keypoint=keypoint))
    ToMotion()(dict(keypoint=keypoint))
    np.testing.assert_array_equal(keypoint, original)


def test_bone_errors():
    with pytest.raises(ValueError, match="unknown layout 'nope'.*coco"):
        JointToBone('nope')
    with pytest.raises(ValueError, match='center_to_self'):
        JointToBone('coco', center_to_self='self')
    with pytest.raises(ValueError, match='coords'):
        JointToBone('coco', coords=0)
    with pytest.raises(ValueError, match=r"'coco' has 17 joints.*V=25"):
        JointToBone('coco')(dict(keypoint=ntu_skeleton()))
    with pytest.raises(ValueError, match=r'coords=3.*C=2'):
        JointToBone('ntu-rgb+d')(dict(keypoint=ntu_skeleton()[:2]))
    with pytest.raises(KeyError, match='keypoint'):
        JointToBone('coco')(dict(label=0))


def test_forward_motion_by_hand():
    keypoint = np.zeros((3, 5, 1, 1), dtype=np.float32)
    keypoint[:, :3, 0, 0] = [[1, 2, 4], [1, 1, 0.5], [3, 3, 3]]
    out = motion(keypoint)
    assert out.shape == keypoint.shape and out.dtype == np.float32
    # x[t + 1] - x[t]; the last valid frame (2) and the padding are zero
    np.testing.assert_array_equal(
        out[:, :, 0, 0],
        [[1, 2, 0, 0, 0], [0, -0.5, 0, 0, 0], [0, 0, 0, 0, 0]],
    )


def test_central_motion_by_hand():
    keypoint = np.zeros((3, 6, 1, 1), dtype=np.float32)
    keypoint[:, :4, 0, 0] = [[1, 2, 4, 8], [1, 1, 1, 1], [2, 0.5, 1, 2]]
    out = motion(keypoint, formula='central')
    # x[t] - 0.5 x[t + 1] - 0.5 x[t - 1], zero at both ends
    np.testing.assert_array_equal(
        out[:, :, 0, 0],
        [[0, -0.5, -1, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, -1, -0.25, 0, 0, 0]],
    )


@pytest.mark.parametrize('formula', ['forward', 'central'])
def test_static_skeleton_has_zero_motion(formula):
    keypoint = np.repeat(ntu_skeleton(frames=1, persons=2), 7, axis=1)
    keypoint[:, 5:] = 0
    out = motion(keypoint, formula=formula)
    assert out.shape == keypoint.shape
    assert not out.any()


def test_motion_zero_where_a_joint_appears_or_disappears():
    keypoint = ntu_skeleton(frames=4, persons=2)
    keypoint[:, :2, :, 1] = 0  # person 1 enters at frame 2
    keypoint[:, 2, HEAD, 0] = 0  # head lost at frame 2
    out = motion(keypoint)
    np.testing.assert_array_equal(out[:, :2, :, 1], 0)
    np.testing.assert_allclose(
        out[:, 2, :, 1], keypoint[:, 3, :, 1] - keypoint[:, 2, :, 1]
    )
    np.testing.assert_array_equal(out[:, 1:3, HEAD, 0], 0)
    np.testing.assert_allclose(
        out[:, 0, HEAD, 0], keypoint[:, 1, HEAD, 0] - keypoint[:, 0, HEAD, 0]
    )
    np.testing.assert_array_equal(out[:, 3], 0)  # the last frame


def test_motion_keeps_the_score_of_xy_data():
    keypoint = np.zeros((3, 4, 1, 1), dtype=np.float32)
    keypoint[:, :3, 0, 0] = [[1, 2, 4], [1, 1, 1], [0.5, 0.75, 0.25]]
    out = motion(keypoint, coords=2)
    np.testing.assert_array_equal(
        out[:, :, 0, 0], [[1, 2, 0, 0], [0, 0, 0, 0], [0.5, 0.75, 0, 0]]
    )


def test_joint_and_bone_motion_of_a_translating_skeleton():
    velocity = np.array([0.5, -0.25, 1.0], dtype=np.float32)
    first = ntu_skeleton(frames=1)
    steps = np.arange(6, dtype=np.float32)[None, :, None, None]
    keypoint = first + velocity[:, None, None, None] * steps
    keypoint[:, 4:] = 0  # 4 valid frames
    init_default_scope('stgcn_reg')
    joint_motion = Compose([dict(type='ToMotion')])
    bone_motion = Compose(
        [dict(type='JointToBone', layout='ntu-rgb+d'), dict(type='ToMotion')]
    )
    out = joint_motion(dict(keypoint=keypoint.copy()))['keypoint']
    expected = np.broadcast_to(velocity[:, None, None], (3, 3, 25))
    np.testing.assert_allclose(out[:, :3, :, 0], expected, atol=1e-5)
    assert not out[:, 3:].any()
    out = bone_motion(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_allclose(out, 0, atol=1e-5)


def test_motion_of_one_frame_and_errors():
    assert not motion(ntu_skeleton(frames=1)).any()
    assert not motion(ntu_skeleton(frames=2), formula='central').any()
    with pytest.raises(ValueError, match='formula'):
        ToMotion(formula='backward')
    with pytest.raises(ValueError, match=r'coords=3.*C=2'):
        ToMotion()(dict(keypoint=ntu_skeleton()[:2]))
    with pytest.raises(ValueError, match=r'\(C, T, V, M\)'):
        ToMotion()(dict(keypoint=np.ones((3, 4, 5))))


def test_build_and_repr():
    init_default_scope('stgcn_reg')
    bone = TRANSFORMS.build(
        dict(type='JointToBone', layout='openpose', coords=2)
    )
    assert isinstance(bone, JointToBone)
    assert bone.parents[0] == 1  # nose -> neck, the OpenPose center
    assert repr(bone) == (
        "JointToBone(layout='openpose', center_to_self='zero', coords=2, "
        "formula='masked')"
    )
    to_motion = TRANSFORMS.build(dict(type='ToMotion', formula='central'))
    assert isinstance(to_motion, ToMotion)
    assert repr(to_motion) == "ToMotion(formula='central', coords=3)"
