"""MMAction2/PYSKL files as --load-from, and the export to MMAction2."""
import os.path as osp

import pytest
import torch
from mmaction_reference import import_mmaction, mmaction_logits, mmaction_stgcn
from mmengine.config import Config
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import (
    MMActionCheckpointMismatchError,
    load_checkpoint_file,
)
from stgcn_reg.checkpoints.load_from import convert_foreign_load_from
from stgcn_reg.checkpoints.mmaction_files import (
    check_layout,
    export_mmaction_checkpoint,
    strides_in_meta,
)
from stgcn_reg.registry import MODELS

# MMAction2 settings of the tiny demo model (channels 8, 8, 16, 16;
# strides 1, 2, 1, 1)
DEMO_TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
                 down_stages=[2])


@pytest.fixture(autouse=True)
def mmaction(default_scope):
    return import_mmaction()


def demo_config(tmp_path, load_from, num_classes=8) -> Config:
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.model.backbone.channels = [8, 8, 16, 16]
    cfg.model.backbone.strides = [1, 2, 1, 1]
    cfg.model.backbone.graph_cfg.layout = 'nturgb+d'
    cfg.model.cls_head.in_channels = 16
    cfg.model.cls_head.num_classes = num_classes
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = load_from
    return cfg


def test_load_from_an_mmaction_checkpoint(tmp_path):
    theirs = mmaction_stgcn('nturgb+d', 8, **DEMO_TINY)
    source = str(tmp_path / 'stgcn_mmaction.pth')
    torch.save(dict(state_dict=theirs.state_dict(), meta=dict(epoch=3)),
               source)
    cfg = demo_config(tmp_path, source)
    converted = convert_foreign_load_from(cfg)
    out = osp.join(cfg.work_dir, 'converted_stgcn_mmaction.pth')
    assert converted == (out, 'MMAction2 ST-GCN')
    assert cfg.load_from == out
    model = MODELS.build(cfg.model).eval()
    model.load_state_dict(load_checkpoint_file(out)['state_dict'],
                          strict=True)
    x = torch.randn(2, 3, 12, 25, 2)
    with torch.no_grad():
        torch.testing.assert_close(model(x), mmaction_logits(theirs, x),
                                   rtol=0, atol=1e-5)


def test_fine_tuning_from_mmaction_leaves_the_classifier_out(tmp_path):
    theirs = mmaction_stgcn('nturgb+d', 60, **DEMO_TINY)
    source = str(tmp_path / 'ntu60.pth')
    torch.save(dict(state_dict=theirs.state_dict()), source)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='only the classifier differs'):
        convert_foreign_load_from(demo_config(tmp_path, source))
    cfg = demo_config(tmp_path, source)
    out, _ = convert_foreign_load_from(cfg, training=True)
    assert load_checkpoint_file(out)['meta']['not_converted'] == [
        'cls_head.fc.weight', 'cls_head.fc.bias'
    ]


def test_a_graph_of_no_layout_is_refused():
    adjacency = torch.rand(3, 25, 25)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='matches no built-in layout; give --layout'):
        check_layout(adjacency, None, 'x.pth')
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="but no built-in layout's"):
        check_layout(adjacency, 'nturgb+d', 'x.pth')


def test_export_checks_the_layout_and_writes_nothing_on_refusal(tmp_path):
    cfg = demo_config(tmp_path, None)
    model = MODELS.build(cfg.model)
    # as our Runner saves it: the config text in meta (parsed, never run)
    checkpoint = dict(state_dict=model.state_dict(),
                      meta=dict(epoch=1, cfg=cfg.pretty_text))
    out = str(tmp_path / 'for_mmaction.pth')
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="is not layout 'coco'"):
        export_mmaction_checkpoint(checkpoint, 'ours.pth', out, 'coco')
    assert not osp.exists(out)
    result = export_mmaction_checkpoint(checkpoint, 'ours.pth', out)
    assert result['meta']['layout'] == 'nturgb+d'
    assert result['meta']['strides_known']
    backbone = result['meta']['model_cfg']['backbone']
    assert backbone == dict(
        type='STGCN', graph_cfg=dict(layout='nturgb+d',
                                     mode='stgcn_spatial'),
        in_channels=3, base_channels=8, num_stages=4, inflate_stages=[3],
        down_stages=[2], ch_ratio=2)
    saved = load_checkpoint_file(out)
    assert len(saved['state_dict']) == len(model.state_dict()) + 3

    # without a config, blocks with a residual conv are taken to halve time
    result = export_mmaction_checkpoint(model.state_dict(), 'ours.pth', out)
    assert not result['meta']['strides_known']
    assert result['meta']['model_cfg']['backbone']['down_stages'] == [2, 3]


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
