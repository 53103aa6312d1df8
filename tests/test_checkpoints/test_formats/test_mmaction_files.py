"""MMAction2/PYSKL files: our checkpoints exported for MMAction2."""
import os.path as osp

import pytest
from mmaction_reference import import_mmaction
from mmengine.config import Config
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import (
    MMActionCheckpointMismatchError,
    load_checkpoint_file,
)
from stgcn_reg.checkpoints.formats.mmaction_files import (
    export_mmaction_checkpoint,
)
from stgcn_reg.registry import MODELS


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
