"""Multi-label (BCE) and regression heads of emotion recognition."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from stgcn_reg.datasets.readers.bold_labels import write_bold_labels
from stgcn_reg.models.heads.emotion_heads import (
    MultiLabelHead,
    RegressionHead,
    positive_class_weights,
)
from stgcn_reg.registry import MODELS


def test_heads_are_registered(default_scope):
    head = MODELS.build(dict(type='MultiLabelHead', in_channels=4))
    assert isinstance(head, MultiLabelHead) and head.num_classes == 26
    head = MODELS.build(dict(type='RegressionHead', in_channels=4))
    assert isinstance(head, RegressionHead) and head.num_outputs == 3


def test_pooling_over_time_joints_and_persons():
    head = MultiLabelHead(num_classes=2, in_channels=3)
    head.init_weights()
    feats = torch.randn(2, 2, 3, 5, 18)
    expected = head.fc(feats.mean(dim=(3, 4)).mean(dim=1))
    assert torch.allclose(head(feats), expected)


def test_bce_on_scores_and_on_binary_targets():
    logits = torch.tensor([[0.0, 2.0], [-1.0, 0.5]])
    scores = torch.tensor([[0.4, 1.0], [0.6, 0.0]])
    soft = MultiLabelHead(num_classes=2, in_channels=1, loss_weight=2.0)
    # hand-computed: mean of -(y log s + (1 - y) log(1 - s)), times 2
    sig = torch.sigmoid(logits)
    expected = -(scores * sig.log() + (1 - scores) * (1 - sig).log()).mean()
    assert soft.loss(logits, scores)['loss_category'].item() == \
        pytest.approx(2 * expected.item(), rel=1e-6)
    hard = MultiLabelHead(num_classes=2, in_channels=1, target='binary',
                          threshold=0.5)
    binary = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    assert hard.loss(logits, scores)['loss_category'].item() == \
        pytest.approx(F.binary_cross_entropy_with_logits(
            logits, binary).item())
    assert hard.sample_losses(logits, scores).shape == (2, )
    assert torch.equal(hard.predict(logits), sig)


def test_positive_class_weights_from_frequencies():
    scores = np.array([[1.0, 0.0, 0.5], [0.0, 0.0, 0.9],
                       [0.0, 0.1, 0.6], [0.0, 0.0, 0.2]])
    weights = positive_class_weights(scores, threshold=0.5, max_weight=5)
    # negatives / positives: 3/1, none positive -> 5, 1/3
    assert weights.tolist() == pytest.approx([3.0, 5.0, 1 / 3])


def test_pos_weight_scales_the_positive_term(tmp_path):
    path = str(tmp_path / 'train_label.pkl')
    categories = np.zeros((4, 26))
    categories[0] = 1.0  # each category: 1 positive, 3 negatives
    write_bold_labels(path, list('abcd'), categories)
    head = MultiLabelHead(in_channels=1, pos_weight=path)
    assert head.pos_weight.tolist() == [3.0] * 26
    assert 'pos_weight' not in head.state_dict()
    logits, target = torch.zeros(1, 26), torch.ones(1, 26)
    loss = head.loss(logits, target)['loss_category'].item()
    assert loss == pytest.approx(3 * math.log(2), rel=1e-6)
    listed = MultiLabelHead(num_classes=2, in_channels=1,
                            pos_weight=[2.0, 1.0])
    assert listed.pos_weight.tolist() == [2.0, 1.0]
    with pytest.raises(ValueError, match=r'pos_weight has shape \(3,\)'):
        MultiLabelHead(num_classes=2, in_channels=1, pos_weight=[1, 2, 3])
    write_bold_labels(path, ['a'])
    with pytest.raises(ValueError, match='holds no categories'):
        MultiLabelHead(in_channels=1, pos_weight=path)


@pytest.mark.parametrize('loss,expected', [
    # targets (1, 10, 5.5) -> (0, 1, 0.5); predictions (0.5, 0.5, 0.5)
    ('l1', (0.5 + 0.5 + 0.0) / 3),
    ('mse', (0.25 + 0.25 + 0.0) / 3),
])
def test_regression_on_the_unit_scale(loss, expected):
    head = RegressionHead(in_channels=1, loss=loss, loss_weight=3.0)
    preds = torch.full((1, 3), 0.5)
    values = torch.tensor([[1.0, 10.0, 5.5]])
    assert head.loss(preds, values)['loss_dimension'].item() == \
        pytest.approx(3 * expected)
    assert head.sample_losses(preds, values).tolist() == \
        pytest.approx([expected])
    assert head.predict(torch.tensor([[0.0, 1.0, 0.5]])).tolist() == \
        [[1.0, 10.0, 5.5]]


def test_bad_settings_and_targets_are_named():
    with pytest.raises(ValueError, match="target must be one of"):
        MultiLabelHead(target='soft')
    with pytest.raises(ValueError, match="loss must be one of"):
        RegressionHead(loss='huber')
    with pytest.raises(ValueError, match='high > low'):
        RegressionHead(value_range=(10, 1))
    with pytest.raises(ValueError, match='must be >= 1'):
        MultiLabelHead(num_classes=0)
    head = MultiLabelHead(num_classes=3, in_channels=1)
    with pytest.raises(ValueError, match=r'targets have shape \(2, 26\), '
                       r'expected \(2, 3\)'):
        head.loss(torch.zeros(2, 3), torch.zeros(2, 26))
