"""Joint heat from learned edge-importance masks."""
import numpy as np
import pytest
import torch

from stgcn_reg.registry import MODELS
from stgcn_reg.visualization import (
    joint_importance,
    model_joint_heat,
    normalize_heat,
)

# a 3-joint chain 0 - 1 - 2, one partition, no self-links
CHAIN = np.array([[[0, 1, 0], [1, 0, 1], [0, 1, 0]]], dtype=float)


def test_ratio_of_masked_to_plain_edge_weight():
    doubled = np.ones_like(CHAIN)
    doubled[0, 0, 1] = doubled[0, 1, 0] = 2  # edge 0-1 twice as strong
    # plain strength (row + column sums): 2, 4, 2; masked: 4, 6, 2
    np.testing.assert_allclose(joint_importance(CHAIN, [doubled]),
                               [2.0, 1.5, 1.0])
    # averaged with an untouched block
    np.testing.assert_allclose(
        joint_importance(CHAIN, [doubled, np.ones_like(CHAIN)]),
        [1.5, 1.25, 1.0])
    with pytest.raises(ValueError, match='does not match the adjacency'):
        joint_importance(CHAIN, [np.ones((1, 2, 2))])


def test_normalize_heat():
    np.testing.assert_allclose(normalize_heat([1.5, 1.25, 1.0]),
                               [1.0, 0.5, 0.0])
    np.testing.assert_allclose(normalize_heat([2.0, 2.0]), [0.5, 0.5])


def build(edge_importance: bool = True) -> torch.nn.Module:
    return MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', channels=[8, 8], strides=[1, 1],
                      edge_importance_weighting=edge_importance,
                      graph_cfg=dict(type='Graph', layout='ntu-rgb+d')),
        cls_head=dict(type='ClsHead', num_classes=4, in_channels=8)))


def test_heat_of_a_model_marks_the_strengthened_joint(default_scope):
    model = build()
    np.testing.assert_allclose(model_joint_heat(model), np.full(25, 0.5))
    with torch.no_grad():
        for mask in model.backbone.edge_importance:
            mask[:, :, 11] *= 3  # edges into joint 11 (right hand)
    heat = model_joint_heat(model)
    assert heat.argmax() == 11 and heat[11] == 1.0
    assert heat.min() == 0.0


def test_model_without_masks_is_refused(default_scope):
    with pytest.raises(ValueError, match='no learned edge-importance'):
        model_joint_heat(build(edge_importance=False))
