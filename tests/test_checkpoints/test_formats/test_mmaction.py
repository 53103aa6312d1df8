"""MMAction2 1.x / PYSKL ST-GCN weights convert to equal logits, both ways.

The MMAction2 side is the real package (``mmaction_reference.py``; the
tests skip, saying why, where it cannot be installed). Weights, BN
statistics and edge importance are random; models run in eval mode.
"""
from collections import OrderedDict

import pytest
import torch
from mmaction_reference import import_mmaction, mmaction_logits, mmaction_stgcn
from reference_stgcn import randomize
from torch import nn

from stgcn_reg.checkpoints import (
    MMActionCheckpointMismatchError,
    convert_mmaction_state_dict,
    infer_stgcn_model_cfg,
    is_mmaction_stgcn_state_dict,
    matching_layouts,
    mmaction_graph_cfg,
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_graphs import check_layout
from stgcn_reg.registry import MODELS

NUM_FRAMES = 12
TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
            down_stages=[3])


@pytest.fixture(autouse=True)
def mmaction(default_scope):
    return import_mmaction()


def ours(layout: str, num_classes: int, **backbone) -> nn.Module:
    return MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', graph_cfg=dict(
            type='Graph', layout=layout, strategy='spatial',
            **backbone.pop('graph', {})), **backbone),
        cls_head=dict(type='ClsHead', num_classes=num_classes,
                      in_channels=backbone.get('channels', [256])[-1])))


def skeletons(num_node: int) -> torch.Tensor:
    return torch.randn(2, 3, NUM_FRAMES, num_node, 2,
                       generator=torch.Generator().manual_seed(7))


def assert_same(expected: torch.Tensor, actual: torch.Tensor) -> None:
    assert expected.std() > 0.05  # non-trivial logits
    torch.testing.assert_close(actual, expected, rtol=0, atol=1e-5)


def assert_holds_their_weights(theirs: nn.Module, model: nn.Module,
                               num_node: int) -> None:
    """``model`` takes ``theirs``'s converted weights: the same logits."""
    model.load_state_dict(
        convert_mmaction_state_dict(theirs.state_dict(), model), strict=True)
    x = skeletons(num_node)
    with torch.no_grad():
        assert_same(mmaction_logits(theirs, x), model.eval()(x))


@pytest.mark.parametrize('layout, num_node, num_classes', [
    ('nturgb+d', 25, 60),
    ('openpose', 18, 400),
    ('coco', 17, 10),
])
def test_mmaction_weights_give_the_same_logits(layout, num_node,
                                               num_classes):
    theirs = mmaction_stgcn(layout, num_classes)
    assert_holds_their_weights(theirs, ours(layout, num_classes), num_node)


@pytest.mark.parametrize('layout, num_node, num_classes', [
    ('nturgb+d', 25, 60),
    ('openpose', 18, 400),
])
def test_our_weights_give_the_same_logits_in_mmaction(layout, num_node,
                                                      num_classes):
    model = randomize(ours(layout, num_classes), seed=3)
    theirs = mmaction_stgcn(layout, num_classes, seed=5)
    theirs.load_state_dict(to_mmaction_state_dict(model.state_dict()),
                           strict=True)
    x = skeletons(num_node)
    with torch.no_grad():
        assert_same(model(x), mmaction_logits(theirs.eval(), x))


def test_reference_ntu_graph_goes_to_mmaction_as_a_custom_layout():
    # MMAction2 has no 'ntu-rgb+d'; its dict layout reproduces it
    model = randomize(ours('ntu-rgb+d', 60), seed=4)
    graph_cfg = mmaction_graph_cfg('ntu-rgb+d')
    assert graph_cfg['layout']['center'] == 20
    theirs = mmaction_stgcn(graph_cfg['layout'], 60)
    theirs.load_state_dict(to_mmaction_state_dict(model.state_dict()),
                           strict=True)
    torch.testing.assert_close(theirs.backbone.gcn[3].gcn.A,
                               model.backbone.A)
    x = skeletons(25)
    with torch.no_grad():
        assert_same(model(x), mmaction_logits(theirs.eval(), x))


def test_the_ntu60_models_match_key_for_key():
    theirs = mmaction_stgcn('nturgb+d', 60)
    model = ours('nturgb+d', 60)
    assert sum(p.numel() for p in theirs.parameters()) == 3_098_832
    assert sum(p.numel() for p in model.parameters()) == 3_098_832
    state_dict = theirs.state_dict()
    assert is_mmaction_stgcn_state_dict(state_dict)
    # one graph per block there, one buffer here
    assert len(state_dict) == 181 and len(model.state_dict()) == 172
    converted = convert_mmaction_state_dict(state_dict, model)
    assert list(converted) == list(model.state_dict())
    torch.testing.assert_close(converted['backbone.blocks.4.tcn.bn_in.weight'],
                               state_dict['backbone.gcn.4.gcn.bn.weight'])
    torch.testing.assert_close(converted['backbone.edge_importance.9'],
                               state_dict['backbone.gcn.9.gcn.PA'])
    back = to_mmaction_state_dict(converted)
    assert list(back) == list(state_dict)
    for key, value in state_dict.items():
        assert torch.equal(back[key], value), key


def test_pyskl_head_is_read_and_written():
    theirs = mmaction_stgcn('coco', 10, **TINY)
    pyskl = OrderedDict(
        (key.replace('cls_head.fc.', 'cls_head.fc_cls.'), value)
        for key, value in theirs.state_dict().items())
    model = ours('coco', 10, channels=[8, 8, 16, 16], strides=[1, 1, 2, 1])
    model.load_state_dict(convert_mmaction_state_dict(pyskl, model),
                          strict=True)
    x = skeletons(17)
    with torch.no_grad():
        assert_same(mmaction_logits(theirs, x), model.eval()(x))
    written = to_mmaction_state_dict(model.state_dict(), 'pyskl')
    assert 'cls_head.fc_cls.weight' in written
    assert 'cls_head.fc.weight' not in written


def test_model_is_inferred_from_the_shapes():
    theirs = mmaction_stgcn('openpose', 7, **TINY)
    cfg = infer_stgcn_model_cfg(theirs.state_dict(), 'openpose')
    assert cfg['backbone']['channels'] == [8, 8, 16, 16]
    assert cfg['backbone']['strides'] == [1, 1, 2, 1]
    assert cfg['backbone']['temporal_kernel_size'] == 9
    assert cfg['backbone']['edge_importance_weighting'] is True
    assert cfg['cls_head'] == dict(type='ClsHead', num_classes=7,
                                   in_channels=16)
    assert_holds_their_weights(theirs, MODELS.build(cfg), num_node=18)


def test_two_hop_graphs_match():
    theirs = mmaction_stgcn('coco', 5, graph=dict(max_hop=2), **TINY)
    adjacency = theirs.state_dict()['backbone.gcn.0.gcn.A']
    assert adjacency.shape == (5, 17, 17)
    assert matching_layouts(adjacency) == ['coco']
    cfg = infer_stgcn_model_cfg(theirs.state_dict(), 'coco')
    assert cfg['backbone']['graph_cfg']['max_hop'] == 2
    assert_holds_their_weights(theirs, MODELS.build(cfg), num_node=17)


def test_the_other_ntu_graph_is_refused():
    theirs = mmaction_stgcn('nturgb+d', 60)
    adjacency = theirs.state_dict()['backbone.gcn.0.gcn.A']
    assert matching_layouts(adjacency) == ['nturgb+d']
    with pytest.raises(MMActionCheckpointMismatchError) as error:
        convert_mmaction_state_dict(theirs.state_dict(), ours('ntu-rgb+d', 60))
    message = str(error.value)
    assert 'nothing was loaded' in message
    assert 'hint: the weights were trained on another graph' in message
    assert ("the file's graph (backbone.gcn.*.gcn.A) is layout 'nturgb+d' "
            "(spatial, max_hop=1) but the model's is layout 'ntu-rgb+d'"
            in message)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match=r"not layout 'ntu-rgb\+d'.*Use --layout "
                       r'nturgb\+d'):
        check_layout(adjacency, 'ntu-rgb+d', 'theirs.pth')
    assert check_layout(adjacency, None, 'theirs.pth') == 'nturgb+d'


def test_missing_unexpected_and_mismatched_keys_are_named():
    theirs = mmaction_stgcn('coco', 10, **TINY)
    state_dict = OrderedDict(theirs.state_dict())
    del state_dict['backbone.gcn.2.residual.bn.running_var']
    state_dict['backbone.extra.weight'] = torch.zeros(3)
    model = ours('coco', 10, channels=[8, 8, 16, 16], strides=[1, 1, 2, 1])
    with pytest.raises(MMActionCheckpointMismatchError) as error:
        convert_mmaction_state_dict(state_dict, model)
    message = str(error.value)
    assert 'missing from the file (1):' in message
    assert 'backbone.gcn.2.residual.bn.running_var (model key ' \
        'backbone.blocks.2.residual.bn.running_var, shape (16,))' in message
    assert 'unexpected in the file (1):' in message
    assert 'backbone.extra.weight (shape (3,))' in message

    other = ours('coco', 4, channels=[8, 8, 16, 16], strides=[1, 1, 2, 1])
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='only the classifier differs') as error:
        convert_mmaction_state_dict(theirs.state_dict(), other)
    assert ('cls_head.fc.weight: file (10, 16) vs model (4, 16)'
            in str(error.value))
    converted = convert_mmaction_state_dict(theirs.state_dict(), other,
                                            skip_mismatched_head=True)
    assert not any(key.startswith('cls_head') for key in converted)
    assert len(converted) == len(other.state_dict()) - 2


def test_per_person_data_bn_is_refused_with_a_hint():
    theirs = mmaction_stgcn('coco', 10, data_bn_type='MVC', **TINY)
    model = ours('coco', 10, channels=[8, 8, 16, 16], strides=[1, 1, 2, 1])
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="data_bn_type='MVC'"):
        convert_mmaction_state_dict(theirs.state_dict(), model)


def test_stgcn_plus_plus_is_refused_by_an_stgcn():
    # learnt graphs per block, a residual in the graph conv, multi-scale
    # temporal convs: no ST-GCN equivalent (STGCNPP holds it, see
    # test_mmaction_stgcnpp.py)
    theirs = mmaction_stgcn('coco', 10, gcn_adaptive='init',
                            gcn_with_res=True, tcn_type='mstcn', **TINY)
    model = ours('coco', 10, channels=[8, 8, 16, 16], strides=[1, 1, 2, 1])
    with pytest.raises(MMActionCheckpointMismatchError) as error:
        convert_mmaction_state_dict(theirs.state_dict(), model)
    message = str(error.value)
    assert 'backbone.gcn.1.gcn.A differs from backbone.gcn.0.gcn.A' in message
    assert 'backbone.gcn.0.gcn.down.0.weight (shape (8, 3, 1, 1))' in message
    assert 'backbone.gcn.0.tcn.branches.0.0.weight' in message
    assert 'missing from the file (12):' in message  # PA, tcn.conv
    assert 'hint: the file is an ST-GCN++' in message
    assert "use type='STGCNPP'" in message


def test_two_stream_models_have_no_mmaction_equivalent():
    model = MODELS.build(dict(
        type='TwoStreamRecognizer',
        backbone=dict(type='STGCN', graph_cfg=dict(type='Graph',
                                                   layout='coco')),
        cls_head=dict(type='ClsHead', num_classes=3)))
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='not an ST-GCN state dict of this framework'):
        to_mmaction_state_dict(model.state_dict())
