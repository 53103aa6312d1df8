import numpy as np
import pytest
from mmengine.registry import init_default_scope

from stgcn_reg.datasets.transforms import (
    AutoPad,
    RandomChoose,
    RandomShift,
    TemporalDownsample,
)
from stgcn_reg.registry import TRANSFORMS


def make_results(num_frames=20, valid=(0, 12), seed=0):
    """(3, T, 5, 2) sample, nonzero inside ``valid``, zero elsewhere."""
    rng = np.random.RandomState(seed)
    keypoint = np.zeros((3, num_frames, 5, 2), dtype=np.float32)
    begin, end = valid
    block = rng.uniform(0.5, 1.5, (3, end - begin, 5, 2))
    # each frame distinguishable by its first value
    block[0, :, 0, 0] = np.arange(1, end - begin + 1)
    keypoint[:, begin:end] = block
    return dict(keypoint=keypoint, label=3, sample_name='s0', sample_idx=0)


def valid_block(keypoint):
    valid = np.flatnonzero(np.any(keypoint != 0, axis=(0, 2, 3)))
    return keypoint[:, valid[0] : valid[-1] + 1], valid[0]


def assert_only_block(out, block, offset):
    """``out`` holds ``block`` at ``offset`` and zeros elsewhere."""
    length = block.shape[1]
    np.testing.assert_array_equal(out[:, offset : offset + length], block)
    rest = np.delete(out, np.arange(offset, offset + length), axis=1)
    assert not rest.any()


# RandomChoose


def test_random_choose_crops_inside_valid_frames():
    results = make_results(valid=(2, 14))
    source = results['keypoint'].copy()
    np.random.seed(1)
    for _ in range(20):
        out = RandomChoose(5)(dict(results, keypoint=source.copy()))
        keypoint = out['keypoint']
        assert keypoint.shape == (3, 5, 5, 2)
        assert keypoint.dtype == np.float32
        start = int(keypoint[0, 0, 0, 0]) - 1 + 2
        assert 2 <= start <= 14 - 5
        np.testing.assert_array_equal(keypoint, source[:, start : start + 5])
    assert out['label'] == 3 and out['sample_name'] == 's0'


def test_random_choose_pads_short_sequences():
    results = make_results(num_frames=20, valid=(0, 6))
    block = results['keypoint'][:, :6].copy()
    np.random.seed(0)
    offsets = set()
    for _ in range(30):
        out = RandomChoose(10)(dict(results))['keypoint']
        assert out.shape == (3, 10, 5, 2)
        assert out.dtype == np.float32
        _, offset = valid_block(out)
        assert_only_block(out, block, offset)
        offsets.add(int(offset))
    assert offsets <= set(range(5)) and len(offsets) > 1


def test_random_choose_longer_window_than_input():
    results = make_results(num_frames=4, valid=(0, 4))
    block = results['keypoint'].copy()
    np.random.seed(0)
    out = RandomChoose(9)(results)['keypoint']
    assert out.shape == (3, 9, 5, 2)
    _, offset = valid_block(out)
    assert_only_block(out, block, offset)


def test_random_choose_all_zero():
    results = dict(keypoint=np.zeros((3, 20, 5, 2), np.float32))
    out = RandomChoose(8)(results)['keypoint']
    assert out.shape == (3, 8, 5, 2) and not out.any()


def test_random_choose_reproducible():
    results = make_results()
    np.random.seed(7)
    first = [RandomChoose(4)(dict(results))['keypoint'] for _ in range(5)]
    np.random.seed(7)
    second = [RandomChoose(4)(dict(results))['keypoint'] for _ in range(5)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    # the draws differ between calls, so the test can tell seeds apart
    assert any(not np.array_equal(first[0], f) for f in first[1:])


# AutoPad


def test_auto_pad_pads_at_start():
    results = make_results(num_frames=20, valid=(0, 12))
    block = results['keypoint'][:, :12].copy()
    out = AutoPad(16)(results)['keypoint']
    assert out.shape == (3, 16, 5, 2) and out.dtype == np.float32
    assert_only_block(out, block, 0)


def test_auto_pad_trims_padding_without_dropping_valid_frames():
    results = make_results(num_frames=20, valid=(3, 11))
    block = results['keypoint'][:, 3:11].copy()
    out = AutoPad(8)(results)['keypoint']
    assert out.shape == (3, 8, 5, 2)
    np.testing.assert_array_equal(out, block)


def test_auto_pad_crops_first_frames_of_long_sequences():
    results = make_results(num_frames=20, valid=(0, 20))
    source = results['keypoint'].copy()
    out = AutoPad(7)(results)['keypoint']
    np.testing.assert_array_equal(out, source[:, :7])


def test_auto_pad_random_offset():
    results = make_results(num_frames=6, valid=(0, 6))
    block = results['keypoint'].copy()
    np.random.seed(3)
    offsets = set()
    for _ in range(30):
        out = AutoPad(10, random_offset=True)(dict(results))['keypoint']
        assert out.shape == (3, 10, 5, 2)
        _, offset = valid_block(out)
        assert_only_block(out, block, offset)
        offsets.add(int(offset))
    assert offsets <= set(range(5)) and len(offsets) > 1
    np.random.seed(3)
    again = AutoPad(10, random_offset=True)(dict(results))['keypoint']
    np.random.seed(3)
    same = AutoPad(10, random_offset=True)(dict(results))['keypoint']
    np.testing.assert_array_equal(again, same)


# TemporalDownsample


def test_temporal_downsample():
    results = make_results()
    source = results['keypoint'].copy()
    out = TemporalDownsample(3)(results)['keypoint']
    assert out.shape == (3, 7, 5, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(out, source[:, ::3])
    out = TemporalDownsample(1)(dict(keypoint=source.copy()))['keypoint']
    np.testing.assert_array_equal(out, source)


def test_temporal_downsample_random_start():
    source = make_results()['keypoint']
    np.random.seed(5)
    starts = set()
    for _ in range(30):
        out = TemporalDownsample(4, random_start=True)(
            dict(keypoint=source.copy())
        )['keypoint']
        start = [s for s in range(4) if np.array_equal(out, source[:, s::4])]
        assert len(start) == 1
        starts.add(start[0])
    assert starts == {0, 1, 2, 3}


# RandomShift


def test_random_shift_moves_block_intact():
    results = make_results(num_frames=20, valid=(0, 12))
    block = results['keypoint'][:, :12].copy()
    np.random.seed(2)
    offsets = set()
    for _ in range(40):
        out = RandomShift()(dict(results))['keypoint']
        assert out.shape == (3, 20, 5, 2) and out.dtype == np.float32
        _, offset = valid_block(out)
        assert_only_block(out, block, offset)
        offsets.add(int(offset))
    assert offsets <= set(range(9)) and len(offsets) > 2


def test_random_shift_reproducible_and_full_sequence():
    results = make_results(valid=(4, 10))
    np.random.seed(11)
    a = RandomShift()(dict(results))['keypoint']
    np.random.seed(11)
    b = RandomShift()(dict(results))['keypoint']
    np.testing.assert_array_equal(a, b)
    full = make_results(valid=(0, 20))
    source = full['keypoint'].copy()
    np.testing.assert_array_equal(RandomShift()(full)['keypoint'], source)


# building, repr and errors


@pytest.mark.parametrize(
    'cfg, cls',
    [
        (dict(type='RandomChoose', window_size=8), RandomChoose),
        (dict(type='AutoPad', window_size=8, random_offset=True), AutoPad),
        (dict(type='TemporalDownsample', step=2), TemporalDownsample),
        (dict(type='RandomShift'), RandomShift),
    ],
)
def test_build_from_registry(cfg, cls):
    init_default_scope('stgcn_reg')
    transform = TRANSFORMS.build(cfg)
    assert type(transform) is cls
    assert repr(transform).startswith(cls.__name__ + '(')
    out = transform(make_results())
    assert out['keypoint'].ndim == 4


def test_repr():
    assert repr(RandomChoose(8)) == 'RandomChoose(window_size=8)'
    assert (
        repr(AutoPad(4, random_offset=True))
        == 'AutoPad(window_size=4, random_offset=True)'
    )
    assert (
        repr(TemporalDownsample(2))
        == 'TemporalDownsample(step=2, random_start=False)'
    )


@pytest.mark.parametrize(
    'factory, match',
    [
        (lambda: RandomChoose(0), 'window_size'),
        (lambda: RandomChoose(-3), 'window_size'),
        (lambda: RandomChoose(2.5), 'window_size'),
        (lambda: RandomChoose(True), 'window_size'),
        (lambda: AutoPad(0), 'window_size'),
        (lambda: TemporalDownsample(0), 'step'),
        (lambda: TemporalDownsample(1.0), 'step'),
    ],
)
def test_bad_args(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


@pytest.mark.parametrize(
    'transform',
    [RandomChoose(4), AutoPad(4), TemporalDownsample(2), RandomShift()],
)
def test_bad_keypoint_shape(transform):
    bad = dict(keypoint=np.zeros((3, 20, 5), np.float32))
    with pytest.raises(ValueError, match=r'\(C, T, V, M\).*\(3, 20, 5\)'):
        transform(bad)
