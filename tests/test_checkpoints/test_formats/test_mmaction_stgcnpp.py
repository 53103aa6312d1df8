"""MMAction2 / PYSKL ST-GCN++ weights convert to our STGCNPP and back.

Tiny models (4 blocks of 8 and 16 channels) of MMAction2's own ST-GCN++
config, with random weights, BN statistics and learned graphs; the full
model on real NTU input is tests/test_tools/test_convert_mmaction_stgcnpp.
"""
from collections import OrderedDict

import pytest
import torch
from mmaction_reference import mmaction_logits, mmaction_stgcn
from mmaction_stgcnpp import build_mmaction, mmaction_stgcnpp

from stgcn_reg.checkpoints import (
    MMACTION,
    MMActionCheckpointMismatchError,
    convert_mmaction_state_dict,
    detect_format,
    infer_stgcn_model_cfg,
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_config import mmaction_model_cfg
from stgcn_reg.checkpoints.formats.mmaction_keys import describe
from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    our_stgcnpp_key_for,
    stgcnpp_key_for,
)
from stgcn_reg.registry import MODELS

TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
            down_stages=[3])
JOINTS = {'nturgb+d': 25, 'openpose': 18, 'coco': 17}


@pytest.fixture(autouse=True)
def scope(default_scope):
    return None


def tiny(layout='nturgb+d', seed=0, **backbone):
    graph_cfg = dict(layout=layout, mode=backbone.pop('mode', 'spatial'))
    return mmaction_stgcnpp(seed, graph_cfg=graph_cfg, **TINY, **backbone)


def skeletons(num_node: int) -> torch.Tensor:
    return torch.randn(2, 3, 12, num_node, 2,
                       generator=torch.Generator().manual_seed(7))


@pytest.mark.parametrize('layout', list(JOINTS))
def test_tiny_stgcnpp_goes_both_ways_with_equal_logits(layout):
    theirs = tiny(layout)
    state_dict = theirs.state_dict()
    cfg = infer_stgcn_model_cfg(state_dict, layout)
    assert cfg['backbone']['type'] == 'STGCNPP'
    assert cfg['backbone']['graph_cfg'] == dict(type='Graph', layout=layout,
                                                mode='spatial')
    assert cfg['backbone']['channels'] == [8, 8, 16, 16]
    assert cfg['backbone']['strides'] == [1, 1, 2, 1]
    model = MODELS.build(cfg).eval()
    converted = convert_mmaction_state_dict(state_dict, model)
    assert list(converted) == list(model.state_dict())
    model.load_state_dict(converted, strict=True)
    x = skeletons(JOINTS[layout])
    expected = mmaction_logits(theirs, x)
    assert expected.std() > 0.05
    with torch.no_grad():
        torch.testing.assert_close(model(x), expected, rtol=0, atol=1e-5)

    back = to_mmaction_state_dict(model.state_dict())
    assert list(back) == list(state_dict)  # MMAction2's order
    again = build_mmaction(mmaction_model_cfg(cfg)).eval()
    again.load_state_dict(back, strict=True)
    torch.testing.assert_close(mmaction_logits(again, x), expected,
                               rtol=0, atol=1e-5)


def test_keys_map_both_ways_and_the_format_is_named():
    state_dict = tiny().state_dict()
    for key in state_dict:
        if key.startswith('backbone.gcn.'):
            assert stgcnpp_key_for(our_stgcnpp_key_for(key)) == key
    assert our_stgcnpp_key_for('backbone.gcn.2.tcn.branches.1.3.conv.weight'
                               ) == 'backbone.blocks.2.tcn.branches.1.3.weight'
    assert our_stgcnpp_key_for('backbone.gcn.2.residual.bn.running_var'
                               ) == 'backbone.blocks.2.residual.1.running_var'
    assert our_stgcnpp_key_for('backbone.gcn.0.gcn.PA') is None
    assert detect_format(dict(state_dict=state_dict, meta={})) is MMACTION
    assert describe(state_dict) == 'MMAction2 ST-GCN++'
    pyskl = OrderedDict((key.replace('cls_head.fc.', 'cls_head.fc_cls.'),
                         value) for key, value in state_dict.items())
    assert describe(pyskl) == 'PYSKL ST-GCN++'
    model = MODELS.build(infer_stgcn_model_cfg(pyskl, 'nturgb+d'))
    model.load_state_dict(convert_mmaction_state_dict(pyskl, model))
    assert 'cls_head.fc_cls.weight' in to_mmaction_state_dict(
        model.state_dict(), 'pyskl')


def test_the_start_graph_is_the_nearest_mode():
    theirs = tiny('coco', mode='stgcn_spatial')
    cfg = infer_stgcn_model_cfg(theirs.state_dict(), 'coco')
    # MMAction2's 'stgcn_spatial' is our spatial strategy
    assert cfg['backbone']['graph_cfg'] == dict(type='Graph', layout='coco',
                                                strategy='spatial')
    assert mmaction_model_cfg(cfg)['backbone']['graph_cfg'] == dict(
        layout='coco', mode='stgcn_spatial')


def test_mmaction_config_of_an_stgcnpp():
    cfg = infer_stgcn_model_cfg(tiny().state_dict(), 'nturgb+d')
    assert mmaction_model_cfg(cfg) == dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', graph_cfg=dict(layout='nturgb+d',
                                                   mode='spatial'),
                      in_channels=3, base_channels=8, num_stages=4,
                      inflate_stages=[3], down_stages=[3], ch_ratio=2,
                      gcn_adaptive='init', gcn_with_res=True,
                      tcn_type='mstcn'),
        cls_head=dict(type='GCNHead', num_classes=60, in_channels=16))


@pytest.mark.parametrize('variant, named', [
    (dict(gcn_adaptive='importance'), "gcn_adaptive='importance' or "
     "'offset'"),
    (dict(gcn_with_res=False), 'gcn_with_res=False'),
])
def test_unsupported_stgcnpp_variants_are_named_in_one_line(variant, named):
    theirs = tiny(**variant)
    with pytest.raises(MMActionCheckpointMismatchError) as error:
        infer_stgcn_model_cfg(theirs.state_dict(), 'nturgb+d')
    message = str(error.value)
    assert '\n' not in message and named in message
    assert 'not supported' in message
    model = MODELS.build(infer_stgcn_model_cfg(tiny().state_dict(),
                                               'nturgb+d'))
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='hint: the file is an ST-GCN\\+\\+ with .*' +
                       named.replace('(', '\\(')):
        convert_mmaction_state_dict(theirs.state_dict(), model)


@pytest.mark.parametrize('variant, named', [
    (dict(gcn_adaptive='init'), "a learned graph per block (gcn_adaptive="
     "'init') with single temporal convs (tcn_type='unit_tcn')"),
    (dict(gcn_with_res=True), 'a shortcut in the graph conv (gcn_with_res='
     "True) with single temporal convs (tcn_type='unit_tcn')"),
])
def test_unsupported_stgcn_variants_are_named_in_one_line(variant, named):
    theirs = mmaction_stgcn('nturgb+d', 60, **TINY, **variant)
    with pytest.raises(MMActionCheckpointMismatchError) as error:
        infer_stgcn_model_cfg(theirs.state_dict(), 'nturgb+d')
    message = str(error.value)
    assert message == ('the state dict: an MMAction2/PYSKL '
                       f'ST-GCN with {named}, which is not supported')


def test_a_backbone_of_the_other_kind_is_refused_with_a_hint():
    plus_plus = tiny()
    stgcnpp = MODELS.build(infer_stgcn_model_cfg(plus_plus.state_dict(),
                                                 'nturgb+d'))
    plain = mmaction_stgcn('nturgb+d', 60, **TINY)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="plain ST-GCN .*use type='STGCN'"):
        convert_mmaction_state_dict(plain.state_dict(), stgcnpp)
    stgcn = MODELS.build(infer_stgcn_model_cfg(plain.state_dict(),
                                               'nturgb+d'))
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="ST-GCN\\+\\+ state dict does not fit.*\n.*"
                       "use type='STGCNPP'"):
        convert_mmaction_state_dict(plus_plus.state_dict(), stgcn)


def test_joints_of_another_layout_are_refused():
    theirs = tiny('coco')
    model = MODELS.build(infer_stgcn_model_cfg(tiny().state_dict(),
                                               'nturgb+d'))
    with pytest.raises(MMActionCheckpointMismatchError,
                       match=r'backbone.gcn.0.gcn.A: file \(3, 17, 17\) vs '
                       r'model \(3, 25, 25\)'):
        convert_mmaction_state_dict(theirs.state_dict(), model)


def test_our_stgcnpp_is_exported_with_its_nearest_graph(tmp_path):
    from stgcn_reg.checkpoints.formats.mmaction_files import (
        export_mmaction_checkpoint,
    )
    for graph_cfg, theirs in (
            (dict(layout='nturgb+d', mode='spatial'),
             dict(layout='nturgb+d', mode='spatial')),
            # the reference's NTU hands: MMAction2's custom dict layout
            (dict(layout='ntu-rgb+d', strategy='spatial'),
             dict(mode='stgcn_spatial'))):
        model = MODELS.build(dict(
            type='SkeletonRecognizer',
            backbone=dict(type='STGCNPP', channels=[8, 16], strides=[1, 2],
                          graph_cfg=dict(type='Graph', **graph_cfg)),
            cls_head=dict(type='ClsHead', num_classes=5, in_channels=16)))
        out = str(tmp_path / 'for_mmaction.pth')
        result = export_mmaction_checkpoint(model.state_dict(), 'ours.pth',
                                            out)
        assert result['meta']['layout'] == graph_cfg['layout']
        written = result['meta']['model_cfg']['backbone']['graph_cfg']
        assert theirs.items() <= written.items()
        mmaction = build_mmaction(result['meta']['model_cfg'])
        mmaction.load_state_dict(result['state_dict'], strict=True)
