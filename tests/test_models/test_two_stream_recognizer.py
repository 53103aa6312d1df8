"""Two-stream recognizer: motion input, modes and the Kinetics config."""
import os.path as osp

import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config

from stgcn_reg.models.recognizers import motion_input
from stgcn_reg.registry import MODELS


@pytest.fixture
def recognizer(default_scope):
    return MODELS.build(dict(
        type='TwoStreamRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(type='Graph', layout='coco'),
            channels=(8, 16),
            strides=(1, 2)),
        cls_head=dict(type='ClsHead', num_classes=4, in_channels=16)))


def test_motion_is_the_second_difference_in_time():
    x = torch.randn(2, 3, 6, 5, 2)
    motion = motion_input(x)
    assert motion.shape == x.shape
    assert not motion[:, :, 0].any() and not motion[:, :, -1].any()
    for t in range(1, 5):
        torch.testing.assert_close(
            motion[:, :, t], x[:, :, t] - 0.5 * x[:, :, t + 1] -
            0.5 * x[:, :, t - 1])


def test_motion_keeps_dtype_and_short_clips():
    x = torch.randn(1, 3, 2, 5, 1, dtype=torch.float64)
    motion = motion_input(x)
    assert motion.dtype == torch.float64 and not motion.any()
    with pytest.raises(ValueError, match=r'\(N, C, T, V, M\)'):
        motion_input(torch.zeros(3, 4, 5))


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_motion_runs_on_cuda():
    x = torch.randn(2, 3, 6, 5, 2)
    torch.testing.assert_close(motion_input(x.cuda()).cpu(), motion_input(x))


def test_logits_are_the_sum_of_both_streams(recognizer):
    recognizer.eval()
    x = torch.randn(3, 3, 8, 17, 2)
    with torch.no_grad():
        expected = (recognizer.origin(x) +
                    recognizer.motion(motion_input(x)))
        torch.testing.assert_close(recognizer(x), expected)
    assert expected.shape == (3, 4)


def test_loss_is_cross_entropy_of_the_summed_logits(recognizer):
    recognizer.eval()
    x = torch.randn(3, 3, 8, 17, 2)
    labels = torch.tensor([0, 3, 1])
    losses = recognizer(x, dict(label=labels), mode='loss')
    expected = torch.nn.functional.cross_entropy(recognizer(x), labels)
    torch.testing.assert_close(losses['loss'], expected)
    losses['loss'].backward()
    for stream in (recognizer.origin, recognizer.motion):
        assert stream.backbone.data_bn.weight.grad is not None


def test_predict_has_the_single_stream_format(recognizer):
    recognizer.eval()
    samples = dict(label=torch.tensor([2, 1]), index=torch.tensor([5, 6]),
                   sample_name=['a', 'b'])
    x = torch.randn(2, 3, 8, 17, 2)
    results = recognizer(x, samples, 'predict')
    assert [r['sample_name'] for r in results] == ['a', 'b']
    assert [r['index'] for r in results] == [5, 6]
    assert [r['label'] for r in results] == [2, 1]
    torch.testing.assert_close(results[0]['scores'], recognizer(x)[0])
    assert results[0]['loss'] > 0


def test_bad_modes_and_missing_labels_are_refused(recognizer):
    x = torch.randn(1, 3, 8, 17, 1)
    with pytest.raises(ValueError, match='mode'):
        recognizer(x, None, mode='train')
    with pytest.raises(ValueError, match='label'):
        recognizer(x, None, mode='loss')


def test_streams_are_initialised_independently(recognizer):
    recognizer.init_weights()
    assert not torch.equal(recognizer.origin.cls_head.fc.weight,
                           recognizer.motion.cls_head.fc.weight)


def test_kinetics_config_differs_from_single_stream_only_in_the_type():
    single = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py'))
    two = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'stgcn_twostream_kinetics.py'))
    assert two.model.type == 'TwoStreamRecognizer'
    assert two.model.backbone.graph_cfg.layout == 'openpose'
    assert two.model.cls_head.num_classes == 400
    two.model.type = single.model.type
    assert two.to_dict() == single.to_dict()
