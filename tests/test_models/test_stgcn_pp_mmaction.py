"""Our STGCNPP is MMAction2 1.2.0's ST-GCN++ layer by layer.

MMAction2's model is built from its own NTU-60 ST-GCN++ config
(``STGCN(gcn_adaptive='init', gcn_with_res=True, tcn_type='mstcn')``,
``graph_cfg=dict(layout='nturgb+d', mode='spatial')``); the test skips,
saying why, where MMAction2 is not installed.
"""
import pytest
import torch
from conftest import REPO_ROOT
from mmaction_stgcnpp import build_mmaction, mmaction_stgcnpp_cfg
from mmengine.config import Config
from mmengine.registry import DefaultScope

from stgcn_reg.registry import MODELS


@pytest.fixture(scope='module')
def models():
    theirs = build_mmaction(mmaction_stgcnpp_cfg())
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/stgcnpp_ntu_xsub_joint.py')
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        ours = MODELS.build(cfg.model)
    return theirs, ours


def test_the_config_has_mmaction_graph():
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/stgcnpp_ntu_xsub_joint.py')
    theirs = mmaction_stgcnpp_cfg()['backbone']
    assert theirs['graph_cfg'] == dict(layout='nturgb+d', mode='spatial')
    assert cfg.model.backbone.graph_cfg == dict(
        type='Graph', layout='nturgb+d', mode='spatial')


def test_parameters_match_in_order_and_shape(models):
    theirs, ours = models
    their_shapes = [tuple(p.shape) for p in theirs.parameters()]
    our_shapes = [tuple(p.shape) for p in ours.parameters()]
    assert our_shapes == their_shapes
    assert sum(p.numel() for p in ours.parameters()) == 1_403_144
    assert sum(p.numel() for p in theirs.parameters()) == 1_403_144
    # buffers too (BN statistics), state dict entry by entry
    assert [tuple(v.shape) for v in ours.state_dict().values()] == [
        tuple(v.shape) for v in theirs.state_dict().values()]


def test_per_block_counts_match(models):
    theirs, ours = models
    for their_block, our_block in zip(theirs.backbone.gcn,
                                      ours.backbone.blocks, strict=True):
        for part in ('gcn', 'tcn'):
            assert sum(p.numel() for p in getattr(our_block, part)
                       .parameters()) == sum(
                p.numel() for p in getattr(their_block, part).parameters())


def test_learned_graphs_start_from_mmaction(models):
    theirs, ours = models
    for their_block, our_block in zip(theirs.backbone.gcn,
                                      ours.backbone.blocks):
        assert isinstance(their_block.gcn.A, torch.nn.Parameter)
        assert isinstance(our_block.gcn.A, torch.nn.Parameter)
        assert torch.equal(our_block.gcn.A, their_block.gcn.A)
