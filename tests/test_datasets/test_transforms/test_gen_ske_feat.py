"""GenSkeFeat, JointToBone(formula='pyskl') and ToMotion(formula='pyskl')
give MMAction2 1.2.0's arrays: real NTU clips (3-D, 'nturgb+d') and
real Kinetics clips (OpenPose x, y + score); bone pairs as a layout fact."""
import numpy as np
import pytest
from mmaction_transforms import (
    from_mm,
    mmaction_pose_transforms,
    real_kinetics_clips,
    real_ntu_clips,
    to_mm,
)

from stgcn_reg.datasets.transforms import (
    GenSkeFeat,
    JointToBone,
    PreNormalize3D,
    ToMotion,
)
from stgcn_reg.graphs import Layout
from stgcn_reg.graphs.layouts import get_layout, layout_by_alias
from stgcn_reg.registry import TRANSFORMS

FEATS = (['j'], ['b'], ['jm'], ['bm'], ['j', 'b', 'jm', 'bm'], ['bm', 'j'])


@pytest.fixture(scope='module')
def mm():
    return mmaction_pose_transforms()


@pytest.fixture(scope='module')
def ntu():
    """Real NTU clips after PreNormalize3D (person 2 absent: zeros), one
    with a few missing joints."""
    clips = [PreNormalize3D()(dict(keypoint=clip))['keypoint']
             for clip in real_ntu_clips().values()]
    clips[0][:, 5:9, [3, 7, 20]] = 0  # head, hand, spine shoulder missing
    return clips


@pytest.fixture(scope='module')
def kinetics():
    return list(real_kinetics_clips().values())


def mm_feats(mm, dataset, feats, keypoint, score=None):
    results = dict(keypoint=to_mm(keypoint))
    if score is not None:
        results['keypoint_score'] = np.ascontiguousarray(
            score.transpose(2, 0, 1))
    return from_mm(mm.GenSkeFeat(dataset, feats)(results)['keypoint'])


@pytest.mark.parametrize('feats', FEATS)
def test_ntu_3d_features_equal_mmactions(mm, ntu, feats):
    for clip in ntu:
        expected = mm_feats(mm, 'nturgb+d', feats, clip)
        out = GenSkeFeat('nturgb+d', feats)(dict(keypoint=clip.copy()))
        assert out['keypoint'].dtype == np.float32
        np.testing.assert_array_equal(out['keypoint'], expected)


@pytest.mark.parametrize('feats', FEATS)
def test_kinetics_2d_with_score_equals_mmactions(mm, kinetics, feats):
    for clip in kinetics:
        xy, score = clip[:2], clip[2]
        expected = mm_feats(mm, 'openpose', feats, xy, score)
        assert expected.shape[0] == 3 * len(feats)
        # (x, y) + keypoint_score, as MMAction2 gets them ...
        split = GenSkeFeat('openpose', feats)(
            dict(keypoint=xy.copy(), keypoint_score=score.copy()))
        assert 'keypoint_score' not in split
        np.testing.assert_array_equal(split['keypoint'], expected)
        # ... and the (x, y, score) array our feeders give
        merged = GenSkeFeat('openpose', feats)(dict(keypoint=clip.copy()))
        np.testing.assert_array_equal(merged['keypoint'], expected)


@pytest.mark.parametrize('dataset', ['coco', 'openpose'])
def test_2d_without_score_equals_mmactions(mm, kinetics, dataset):
    xy = kinetics[0][:2, :, :17 if dataset == 'coco' else 18]
    feats = ['j', 'b', 'jm', 'bm']
    np.testing.assert_array_equal(
        GenSkeFeat(dataset, feats)(dict(keypoint=xy.copy()))['keypoint'],
        mm_feats(mm, dataset, feats, xy))


def test_bone_and_motion_transforms_equal_mmactions(mm, ntu, kinetics):
    clip = ntu[0]
    bone = JointToBone('nturgb+d', formula='pyskl')(
        dict(keypoint=clip.copy()))['keypoint']
    np.testing.assert_array_equal(bone, from_mm(mm.JointToBone()(
        dict(keypoint=to_mm(clip)))['keypoint']))
    motion = ToMotion(formula='pyskl')(dict(keypoint=bone.copy()))
    np.testing.assert_array_equal(motion['keypoint'], from_mm(mm.ToMotion(
        source='keypoint', target='keypoint')(
            dict(keypoint=to_mm(bone)))['keypoint']))
    scored = kinetics[1]  # (x, y, score): the score is averaged
    bone = JointToBone('openpose', coords=2, formula='pyskl')(
        dict(keypoint=scored.copy()))['keypoint']
    np.testing.assert_array_equal(bone, from_mm(mm.JointToBone(
        'openpose')(dict(keypoint=to_mm(scored)))['keypoint']))
    motion = ToMotion(formula='pyskl', coords=2)(dict(keypoint=bone.copy()))
    np.testing.assert_array_equal(motion['keypoint'], from_mm(mm.ToMotion(
        'openpose', source='keypoint', target='keypoint')(
            dict(keypoint=to_mm(bone)))['keypoint']))


@pytest.mark.parametrize('dataset', ['nturgb+d', 'openpose', 'coco'])
def test_pyskl_parents_are_mmactions_bone_pairs(mm, dataset):
    pairs = mm.JointToBone(dataset).pairs
    layout = layout_by_alias(dataset, 'mmaction')
    assert sorted(pairs) == list(enumerate(layout.pyskl_parents))


def test_where_pyskl_bones_differ_from_our_parents():
    # NTU: MMAction2's pairs chain the hands as our 'ntu-rgb+d' graph
    assert get_layout('ntu-rgb+d').pyskl_parents == get_layout(
        'ntu-rgb+d').parents == get_layout('nturgb+d').pyskl_parents
    assert get_layout('nturgb+d').parents[21] == 7  # forked: tip -> hand
    assert get_layout('nturgb+d').pyskl_parents[21] == 22  # tip -> thumb
    openpose = get_layout('openpose')
    assert openpose.parents[:2] == (1, 1)  # rooted at the neck
    assert openpose.pyskl_parents[:2] == (0, 0)  # rooted at the nose
    assert get_layout('coco').pyskl_parents[11:13] == (0, 0)  # hips
    with pytest.raises(ValueError, match="'ntu_edge'.*pyskl_parents"):
        JointToBone('ntu_edge', formula='pyskl')
    with pytest.raises(ValueError, match='pyskl_parents must give one'):
        Layout('x', num_node=2, edges=((0, 1), ), center=0,
               pyskl_parents=(0, 2))


def test_pyskl_formula_subtracts_missing_joints():
    keypoint = np.zeros((3, 3, 18, 1), np.float32)
    keypoint[:2, :, 0] = [[[1.0]], [[2.0]]]  # nose: all frames
    keypoint[:2, 1:, 14] = 5.0  # right eye: from frame 1
    keypoint[2, :, 0], keypoint[2, 1:, 14] = 0.8, 0.6
    bone = JointToBone('openpose', coords=2, formula='pyskl')(
        dict(keypoint=keypoint.copy()))['keypoint']
    # frame 0: the eye missing, its bone is minus the nose
    np.testing.assert_allclose(bone[:, 0, 14, 0], [-1, -2, 0.4])
    np.testing.assert_allclose(bone[:, 1, 14, 0], [4, 3, 0.7])
    masked = JointToBone('openpose', coords=2)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert not masked[:, 0, 14].any()  # ours: no bone where one is missing
    motion = ToMotion(formula='pyskl', coords=2)(
        dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_allclose(motion[:, 0, 14, 0], [5, 5, 0.3])
    assert not motion[:, -1].any()  # the last frame has no motion


def test_axis_is_mmactions_numbering():
    keypoint = np.random.RandomState(0).rand(3, 4, 25, 2).astype(np.float32)
    by_channel = GenSkeFeat(feats=['j', 'b'], axis=3)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert by_channel.shape == (6, 4, 25, 2)
    by_person = GenSkeFeat(feats=['j', 'b'], axis=0)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert by_person.shape == (3, 4, 25, 4)
    np.testing.assert_array_equal(by_person[..., 2:], by_channel[3:])


def test_bad_arguments_and_inputs_are_refused():
    with pytest.raises(ValueError, match="dataset must be one of"):
        GenSkeFeat('kinetics')
    with pytest.raises(ValueError, match="feats must list"):
        GenSkeFeat(feats=['j', 'j'])
    with pytest.raises(ValueError, match="feats must list"):
        GenSkeFeat(feats=['bone'])
    with pytest.raises(ValueError, match='axis'):
        GenSkeFeat(axis=4)
    with pytest.raises(ValueError, match="'nturgb\\+d'.*does not take"):
        GenSkeFeat()(dict(keypoint=np.ones((2, 4, 25, 1), np.float32),
                          keypoint_score=np.ones((4, 25, 1), np.float32)))
    with pytest.raises(ValueError, match=r'must be 2-D.*\(2, T, V, M\)'):
        GenSkeFeat('coco')(dict(
            keypoint=np.ones((3, 4, 17, 1), np.float32),
            keypoint_score=np.ones((4, 17, 1), np.float32)))
    with pytest.raises(ValueError, match='has 17 joints but.*V=18'):
        GenSkeFeat('coco', ['b'])(
            dict(keypoint=np.ones((3, 4, 18, 1), np.float32)))
    with pytest.raises(ValueError, match='formula must be one of'):
        JointToBone('coco', formula='plain')


def test_built_from_the_registry(default_scope):
    transform = TRANSFORMS.build(
        dict(type='GenSkeFeat', dataset='coco', feats=['b', 'bm']))
    assert isinstance(transform, GenSkeFeat)
    assert repr(transform) == ("GenSkeFeat(dataset='coco', "
                               "feats=['b', 'bm'], axis=-1)")
