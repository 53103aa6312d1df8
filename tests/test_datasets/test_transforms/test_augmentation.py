import numpy as np
import pytest
from mmengine.registry import init_default_scope

from stgcn_reg.datasets.transforms import RandomMove
from stgcn_reg.registry import TRANSFORMS


def make_keypoint(seed=0):
    """(3, 20, 5, 2) sample: 12 valid frames, some joints missing."""
    rng = np.random.RandomState(seed)
    keypoint = rng.uniform(-1, 1, (3, 20, 5, 2)).astype(np.float32)
    keypoint[:, 12:] = 0  # zero padding after the last valid frame
    keypoint[:, :, 3, 1] = 0  # joint 3 of person 1 never seen
    keypoint[:, 5, :, 1] = 0  # person 1 missing in frame 5
    return keypoint


def missing_mask(keypoint):
    return ~np.any(keypoint != 0, axis=0)


def test_default_keeps_shape_dtype_and_missing_zero():
    keypoint = make_keypoint()
    missing = missing_mask(keypoint)
    np.random.seed(0)
    results = dict(keypoint=keypoint.copy(), label=1, sample_name='a')
    out = RandomMove()(results)
    moved = out['keypoint']
    assert moved.shape == keypoint.shape and moved.dtype == np.float32
    assert out['label'] == 1 and out['sample_name'] == 'a'
    assert not moved[:, missing].any()
    # present joints did change (default candidates include translations)
    assert not np.allclose(moved[:2, :12], keypoint[:2, :12])
    np.testing.assert_array_equal(moved[2], keypoint[2])


def test_identity_candidates():
    keypoint = make_keypoint()
    transform = RandomMove(
        angle_candidate=(0,),
        scale_candidate=(1,),
        transform_candidate=(0,),
        move_time_candidate=(1, 2, 3),
    )
    out = transform(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_array_equal(out, keypoint)


def test_rotation_90_degrees_exact():
    keypoint = make_keypoint()
    keypoint[1, 0, 0, 0] = 0  # present joint on the x axis: (x, 0)
    keypoint[0, 1, 2, 0] = 0  # present joint on the y axis: (0, y)
    transform = RandomMove(
        angle_candidate=(90,), scale_candidate=(1.0,), transform_candidate=(0,)
    )
    out = transform(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_array_equal(out[0], -keypoint[1])
    np.testing.assert_array_equal(out[1], keypoint[0])
    np.testing.assert_array_equal(out[2], keypoint[2])
    assert out.dtype == np.float32


def test_fixed_scale_and_translation():
    keypoint = make_keypoint()
    present = ~missing_mask(keypoint)
    transform = RandomMove(
        angle_candidate=(0,),
        scale_candidate=(2.0,),
        transform_candidate=(0.5,),
    )
    out = transform(dict(keypoint=keypoint.copy()))['keypoint']
    expected = np.where(present, keypoint[:2] * 2 + 0.5, 0)
    np.testing.assert_allclose(out[:2], expected, rtol=1e-6, atol=1e-6)
    assert not out[:, ~present].any()


def test_linear_interpolation_between_nodes():
    # one move_time: nodes at frames 0 and T; angle goes 0 -> 90 degrees
    keypoint = np.zeros((2, 11, 1, 1), np.float32)
    keypoint[0] = 1.0  # point (1, 0) in every frame
    np.random.seed(0)
    transform = RandomMove(
        angle_candidate=(0, 90),
        scale_candidate=(1,),
        transform_candidate=(0,),
    )
    # find a seed whose two angle draws differ: 0 then 90
    for seed in range(100):
        np.random.seed(seed)
        np.random.choice(transform.move_time_candidate)
        draws = np.random.choice(transform.angle_candidate, 2)
        if tuple(draws) == (0, 90):
            break
    np.random.seed(seed)
    out = transform(dict(keypoint=keypoint.copy()))['keypoint']
    angles = np.deg2rad(np.linspace(0, 90, 11))
    np.testing.assert_allclose(out[0, :, 0, 0], np.cos(angles), atol=1e-6)
    np.testing.assert_allclose(out[1, :, 0, 0], np.sin(angles), atol=1e-6)


def test_reproducible_under_seed():
    keypoint = make_keypoint()
    transform = RandomMove(move_time_candidate=(1, 2, 4))
    np.random.seed(42)
    first = [transform(dict(keypoint=keypoint.copy()))['keypoint']]
    first.append(transform(dict(keypoint=keypoint.copy()))['keypoint'])
    np.random.seed(42)
    second = [transform(dict(keypoint=keypoint.copy()))['keypoint']]
    second.append(transform(dict(keypoint=keypoint.copy()))['keypoint'])
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])


def test_many_move_times_and_short_sequences():
    keypoint = make_keypoint()[:, :3]
    np.random.seed(0)
    transform = RandomMove(move_time_candidate=(5,))
    out = transform(dict(keypoint=keypoint.copy()))['keypoint']
    assert out.shape == keypoint.shape
    assert not out[:, missing_mask(keypoint)].any()
    empty = np.zeros((3, 0, 5, 2), np.float32)
    assert transform(dict(keypoint=empty))['keypoint'].shape == empty.shape


def test_does_not_modify_input_in_place():
    keypoint = make_keypoint()
    original = keypoint.copy()
    RandomMove()(dict(keypoint=keypoint))
    np.testing.assert_array_equal(keypoint, original)


def test_build_and_repr():
    init_default_scope('stgcn_reg')
    transform = TRANSFORMS.build(
        dict(
            type='RandomMove', angle_candidate=[-5, 5], move_time_candidate=[2]
        )
    )
    assert isinstance(transform, RandomMove)
    assert transform.angle_candidate == (-5, 5)
    assert 'angle_candidate=(-5, 5)' in repr(transform)
    assert 'move_time_candidate=(2,)' in repr(transform)


@pytest.mark.parametrize(
    'kwargs, match',
    [
        (dict(angle_candidate=()), 'angle_candidate'),
        (dict(scale_candidate=[]), 'scale_candidate'),
        (dict(transform_candidate=()), 'transform_candidate'),
        (dict(transform_candidate=(0.1, float('nan'))), 'transform_candidate'),
        (dict(move_time_candidate=()), 'move_time_candidate'),
        (dict(move_time_candidate=(0,)), 'move_time_candidate'),
        (dict(move_time_candidate=(1.5,)), 'move_time_candidate'),
        (dict(angle_candidate=5), 'angle_candidate'),
        (dict(angle_candidate='5'), 'angle_candidate'),
    ],
)
def test_bad_args(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomMove(**kwargs)


def test_bad_keypoint():
    with pytest.raises(ValueError, match=r'\(C, T, V, M\).*\(3, 20\)'):
        RandomMove()(dict(keypoint=np.zeros((3, 20), np.float32)))
    with pytest.raises(ValueError, match='2 channels'):
        RandomMove()(dict(keypoint=np.ones((1, 4, 5, 2), np.float32)))


@pytest.mark.parametrize('seed', range(12))
def test_vectorised_equals_per_frame_loop_on_same_seed(seed):
    # the benchmark's frame-by-frame baseline must compute the same thing
    from loop_augmentation import (
        LoopRandomChoose,
        LoopRandomMove,
    )

    from stgcn_reg.datasets.transforms import RandomChoose

    rng = np.random.RandomState(seed)
    frames = rng.randint(1, 60)
    keypoint = rng.uniform(-1, 1, (3, frames, 5, 2)).astype(np.float32)
    keypoint[:, rng.randint(0, frames):] = 0  # padding, maybe all of it
    keypoint[:, :, rng.randint(0, 5), 1] = 0  # a missing joint
    options = [dict(), dict(move_time_candidate=(1, 2, 3, 7, 80)),
               dict(angle_candidate=(0, 90, -180), scale_candidate=(2.0, ))]
    kwargs = options[seed % 3]
    window = rng.randint(1, 40)
    np.random.seed(seed)
    fast = RandomMove(**kwargs)(RandomChoose(window)(
        dict(keypoint=keypoint.copy())))['keypoint']
    np.random.seed(seed)
    loop = LoopRandomMove(**kwargs)(LoopRandomChoose(window)(
        dict(keypoint=keypoint.copy())))['keypoint']
    assert fast.shape == loop.shape == (3, window, 5, 2)
    np.testing.assert_array_equal(fast, loop)


def test_interpolation_equals_linspace_per_segment():
    node = np.array([0, 1, 1, 4, 9, 10])  # an empty and a 1-frame segment
    controls = np.random.RandomState(0).uniform(-5, 5, (4, len(node)))
    expected = np.zeros((4, 10))
    for i in range(len(node) - 1):
        for row, control in zip(expected, controls):
            row[node[i]:node[i + 1]] = np.linspace(
                control[i], control[i + 1], node[i + 1] - node[i])
    np.testing.assert_array_equal(
        RandomMove.interpolate(node, controls, 10), expected)
    one = np.array([0, 1])
    np.testing.assert_array_equal(
        RandomMove.interpolate(one, controls[:, :2], 1), controls[:, :1])
