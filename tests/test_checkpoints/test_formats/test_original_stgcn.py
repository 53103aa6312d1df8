"""Original ST-GCN state dicts convert to the same logits.

The reference model comes from ``reference_stgcn.py``, a plain-torch
re-implementation with the original key structure; its random weights
(also BN statistics and edge importance) are converted and must give the
same logits in eval mode.
"""
from collections import OrderedDict

import pytest
import torch
from reference_stgcn import reference
from torch import nn

from stgcn_reg.checkpoints import (
    OriginalCheckpointMismatchError,
    convert_original_state_dict,
    is_original_stgcn_state_dict,
    original_key_for,
)
from stgcn_reg.registry import MODELS

NUM_FRAMES = 12


def ours(layout: str, strategy: str, num_class: int, two_stream=False,
         edge_importance_weighting=True, graph=None) -> nn.Module:
    return MODELS.build(dict(
        type='TwoStreamRecognizer' if two_stream else 'SkeletonRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(type='Graph', layout=layout, strategy=strategy,
                           **(graph or {})),
            edge_importance_weighting=edge_importance_weighting,
            dropout=0.5),
        cls_head=dict(type='ClsHead', num_classes=num_class)))


def skeletons(num_node: int, seed: int = 1) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(2, 3, NUM_FRAMES, num_node, 2, generator=generator)


def assert_same_logits(original: nn.Module, model: nn.Module,
                       state_dict=None) -> None:
    state_dict = original.state_dict() if state_dict is None else state_dict
    converted = convert_original_state_dict(state_dict, model)
    model.load_state_dict(converted, strict=True)
    model.eval()
    x = skeletons(original.state_dict()[next(
        key for key in original.state_dict() if key.endswith('A'))].shape[1])
    with torch.no_grad():
        expected = original(x)
        actual = model(x)
    # the comparison means something only for non-trivial logits
    assert expected.std() > 0.05
    torch.testing.assert_close(actual, expected, rtol=0, atol=1e-5)


@pytest.fixture(scope='module')
def ntu_reference() -> nn.Module:
    return reference('ntu-rgb+d', 'spatial', 60)


@pytest.mark.parametrize('layout, strategy, num_class', [
    ('ntu-rgb+d', 'spatial', 60),
    ('openpose', 'uniform', 400),
    ('coco', 'distance', 10),
])
def test_converted_weights_give_the_reference_logits(
        default_scope, layout, strategy, num_class):
    assert_same_logits(
        reference(layout, strategy, num_class),
        ours(layout, strategy, num_class))


def test_ntu60_reference_has_172_entries(ntu_reference, default_scope):
    state_dict = ntu_reference.state_dict()
    assert len(state_dict) == 172
    assert state_dict['fcn.weight'].shape == (60, 256, 1, 1)
    converted = convert_original_state_dict(
        state_dict, ours('ntu-rgb+d', 'spatial', 60))
    assert len(converted) == 172
    assert converted['cls_head.fc.weight'].shape == (60, 256)


def test_wider_hops_and_no_edge_importance(default_scope):
    graph = dict(max_hop=2, dilation=1)
    original = reference('openpose', 'spatial', 5, graph=graph,
                         edge_importance_weighting=False)
    assert not any('edge_importance' in key for key in original.state_dict())
    assert_same_logits(
        original,
        ours('openpose', 'spatial', 5, graph=graph,
             edge_importance_weighting=False))


def test_module_prefix_is_accepted(ntu_reference, default_scope):
    prefixed = OrderedDict(
        (f'module.{key}', value)
        for key, value in ntu_reference.state_dict().items())
    assert is_original_stgcn_state_dict(prefixed)
    assert_same_logits(ntu_reference, ours('ntu-rgb+d', 'spatial', 60),
                       prefixed)


def test_files_without_num_batches_tracked_convert(ntu_reference,
                                                   default_scope):
    # saved before PyTorch 0.4.1, which had no such buffer
    old = OrderedDict((key, value)
                      for key, value in ntu_reference.state_dict().items()
                      if not key.endswith('num_batches_tracked'))
    assert len(old) == 172 - 23
    assert_same_logits(ntu_reference, ours('ntu-rgb+d', 'spatial', 60), old)


def edited(state_dict, drop=(), add=None, replace=None):
    result = OrderedDict((k, v) for k, v in state_dict.items()
                         if k not in drop)
    result.update(add or {})
    result.update(replace or {})
    return result


@pytest.mark.parametrize('change, named', [
    (dict(drop=['st_gcn_networks.3.tcn.2.weight']),
     'st_gcn_networks.3.tcn.2.weight (model key '
     'backbone.blocks.3.tcn.conv.weight'),
    (dict(add={'st_gcn_networks.0.residual.0.weight': torch.ones(64, 3, 1,
                                                                 1)}),
     'st_gcn_networks.0.residual.0.weight (shape (64, 3, 1, 1))'),
    (dict(replace={'st_gcn_networks.7.gcn.conv.bias': torch.zeros(5)}),
     'st_gcn_networks.7.gcn.conv.bias: file (5,) vs model (768,)'),
    (dict(replace={'fcn.weight': torch.zeros(61, 256, 1, 1)}),
     'fcn.weight: file (61, 256, 1, 1) vs model (60, 256)'),
])
def test_a_mismatch_is_refused_with_the_key_named(ntu_reference,
                                                  default_scope, change,
                                                  named):
    state_dict = edited(ntu_reference.state_dict(), **change)
    model = ours('ntu-rgb+d', 'spatial', 60)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(OriginalCheckpointMismatchError) as info:
        convert_original_state_dict(state_dict, model)
    assert named in str(info.value)
    assert 'nothing was loaded' in str(info.value)
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])


def test_another_graph_strategy_is_refused(ntu_reference, default_scope):
    # three partitions too, but hop distances instead of the spatial split
    model = ours('ntu-rgb+d', 'distance', 60, graph=dict(max_hop=2))
    with pytest.raises(OriginalCheckpointMismatchError,
                       match=r'(?s)graph mismatch.*A: the adjacency'):
        convert_original_state_dict(ntu_reference.state_dict(), model)


def test_a_layout_with_other_joints_is_refused(ntu_reference,
                                               default_scope):
    with pytest.raises(OriginalCheckpointMismatchError,
                       match=r'data_bn.weight: file \(75,\) vs model '
                       r'\(54,\)'):
        convert_original_state_dict(ntu_reference.state_dict(),
                                    ours('openpose', 'spatial', 60))


def test_two_stream_weights_give_the_reference_logits(default_scope):
    original = reference('openpose', 'spatial', 7, two_stream=True)
    state_dict = original.state_dict()
    assert len(state_dict) == 2 * 172
    assert is_original_stgcn_state_dict(state_dict)
    model = ours('openpose', 'spatial', 7, two_stream=True)
    assert_same_logits(original, model)
    # the two streams really hold different weights
    assert not torch.equal(model.origin.cls_head.fc.weight,
                           model.motion.cls_head.fc.weight)


def test_stream_count_mismatch_is_refused_with_a_hint(ntu_reference,
                                                      default_scope):
    two_stream_model = ours('ntu-rgb+d', 'spatial', 60, two_stream=True)
    with pytest.raises(OriginalCheckpointMismatchError,
                       match="model.type='SkeletonRecognizer'"):
        convert_original_state_dict(ntu_reference.state_dict(),
                                    two_stream_model)
    two_stream_file = OrderedDict(
        (f'{stream}.{key}', value) for stream in ('origin_stream',
                                                  'motion_stream')
        for key, value in ntu_reference.state_dict().items())
    with pytest.raises(OriginalCheckpointMismatchError,
                       match="model.type='TwoStreamRecognizer'"):
        convert_original_state_dict(two_stream_file,
                                    ours('ntu-rgb+d', 'spatial', 60))


def test_detection(ntu_reference, default_scope):
    assert is_original_stgcn_state_dict(ntu_reference.state_dict())
    model = ours('ntu-rgb+d', 'spatial', 60)
    assert not is_original_stgcn_state_dict(model.state_dict())
    assert not is_original_stgcn_state_dict(
        dict(state_dict=ntu_reference.state_dict(), meta={}))
    assert not is_original_stgcn_state_dict({})
    assert not is_original_stgcn_state_dict([1, 2])


def test_key_names():
    assert original_key_for('backbone.A') == 'A'
    assert (original_key_for('backbone.blocks.4.residual.bn.running_var') ==
            'st_gcn_networks.4.residual.1.running_var')
    assert (original_key_for('origin.backbone.edge_importance.9') ==
            'origin_stream.edge_importance.9')
    assert original_key_for('motion.cls_head.fc.bias') == (
        'motion_stream.fcn.bias')
    assert original_key_for('neck.fc.weight') is None
