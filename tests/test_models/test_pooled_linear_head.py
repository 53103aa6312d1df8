"""The heads share one pooling + dropout + linear base."""
import pytest
import torch

from stgcn_reg.models.heads.cls_head import ClsHead
from stgcn_reg.models.heads.emotion_heads import MultiLabelHead, RegressionHead
from stgcn_reg.models.heads.pooled_linear_head import PooledLinearHead


def test_pooling_is_time_joints_then_persons():
    head = PooledLinearHead(2, in_channels=3, dropout=0.0, init_std=0.02)
    feats = torch.randn(4, 2, 3, 5, 7)
    expected = head.fc(feats.mean(dim=(3, 4)).mean(dim=1))
    torch.testing.assert_close(head(feats), expected)


def test_every_head_is_one_and_keeps_its_keys():
    for head in (ClsHead(5, 8), MultiLabelHead(26, 8), RegressionHead(3, 8)):
        assert isinstance(head, PooledLinearHead)
        assert set(head.state_dict()) == {'fc.weight', 'fc.bias'}


def test_zero_outputs_and_wrong_target_shapes_are_refused():
    with pytest.raises(ValueError, match='number of outputs must be >= 1'):
        PooledLinearHead(0, 8, 0.0, 0.02)
    head = PooledLinearHead(3, 8, 0.0, 0.02)
    with pytest.raises(ValueError, match=r'shape \(2, 4\), expected \(2, 3\)'):
        head._check_targets(torch.zeros(2, 3), torch.zeros(2, 4))
