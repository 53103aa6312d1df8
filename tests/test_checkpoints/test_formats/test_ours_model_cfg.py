"""The model config read from our weights and a checkpoint's meta."""
import os.path as osp

import pytest
from mmengine.config import Config
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import CheckpointMismatchError
from stgcn_reg.checkpoints.formats.ours_model_cfg import (
    model_config_from_weights,
    num_blocks,
    strides_in_meta,
)
from stgcn_reg.registry import MODELS


def test_our_weights_give_back_their_model(default_scope):
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.model.backbone.channels = [8, 8, 16, 16]
    cfg.model.backbone.strides = [1, 1, 2, 1]
    cfg.model.cls_head.in_channels = 16
    state_dict = MODELS.build(cfg.model).state_dict()
    assert num_blocks(state_dict) == 4
    inferred = model_config_from_weights(state_dict, 'ntu-rgb+d')
    backbone = inferred['backbone']
    assert backbone['channels'] == [8, 8, 16, 16]
    # strides are not in the weights: a residual conv is taken to halve
    assert backbone['strides'] == [1, 1, 2, 1]
    assert backbone['graph_cfg'] == dict(type='Graph', layout='ntu-rgb+d',
                                         strategy='spatial')
    assert inferred['cls_head'] == dict(
        type='ClsHead', num_classes=cfg.model.cls_head.num_classes,
        in_channels=16)
    model = MODELS.build(inferred)
    model.load_state_dict(state_dict, strict=True)
    del state_dict['backbone.A']
    with pytest.raises(CheckpointMismatchError, match='has no backbone.A'):
        model_config_from_weights(state_dict, 'ntu-rgb+d')


def test_strides_are_read_from_the_config_text_without_running_it(
        tmp_path):
    cfg = Config.fromfile(osp.join(osp.dirname(DEMO_CONFIG),
                                   'stgcn_ntu_xsub.py'))
    # the config names no strides: the backbone's defaults
    assert strides_in_meta(dict(meta=dict(cfg=cfg.pretty_text))) == [
        1, 1, 1, 1, 2, 1, 1, 2, 1, 1
    ]
    marker = tmp_path / 'ran'
    text = ("model = dict(backbone=dict(type='STGCN', strides="
            f"__import__('os').system('touch {marker}')))")
    assert strides_in_meta(dict(meta=dict(cfg=text))) is None
    assert not marker.exists()
    assert strides_in_meta(dict(meta=dict(model_cfg=dict(
        backbone=dict(type='STGCN', strides=[1, 2]))))) == [1, 2]
    assert strides_in_meta(dict(state_dict={})) is None
