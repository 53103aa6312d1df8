"""Recognizer modes (tensor, loss, predict) and the classification head."""
import pytest
import torch

from stgcn_reg.registry import MODELS


@pytest.fixture
def recognizer(default_scope):
    return MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(type='Graph', layout='coco'),
            channels=(8, 16),
            strides=(1, 2)),
        cls_head=dict(type='ClsHead', num_classes=4, in_channels=16)))


def test_tensor_mode_returns_logits(recognizer):
    logits = recognizer(torch.randn(3, 3, 8, 17, 2))
    assert logits.shape == (3, 4)


def test_loss_mode_is_cross_entropy(recognizer):
    recognizer.eval()
    inputs = torch.randn(3, 3, 8, 17, 2)
    labels = torch.tensor([0, 3, 1])
    losses = recognizer(inputs, dict(label=labels), mode='loss')
    expected = torch.nn.functional.cross_entropy(recognizer(inputs), labels)
    torch.testing.assert_close(losses['loss'], expected)


def test_predict_mode_carries_names_and_losses(recognizer):
    recognizer.eval()
    samples = dict(label=torch.tensor([2, 1]), index=torch.tensor([5, 6]),
                   sample_name=['a', 'b'])
    results = recognizer(torch.randn(2, 3, 8, 17, 2), samples, 'predict')
    assert [r['sample_name'] for r in results] == ['a', 'b']
    assert [r['index'] for r in results] == [5, 6]
    assert results[0]['scores'].shape == (4, )
    assert results[0]['loss'] > 0


def test_loss_mode_without_labels_is_refused(recognizer):
    with pytest.raises(ValueError, match='label'):
        recognizer(torch.randn(1, 3, 8, 17, 1), None, mode='loss')


def test_unknown_mode_is_refused(recognizer):
    with pytest.raises(ValueError, match='mode'):
        recognizer(torch.randn(1, 3, 8, 17, 1), None, mode='train')
