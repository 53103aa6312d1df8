"""--load-from / tools/test.py given an original ST-GCN .pt or an
MMAction2/PYSKL checkpoint."""
import os.path as osp

import pytest
import torch
from mmaction_reference import import_mmaction, mmaction_logits, mmaction_stgcn
from mmengine.config import Config
from reference_stgcn import TINY_BLOCKS, reference
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import (
    MMActionCheckpointMismatchError,
    OriginalCheckpointMismatchError,
    load_checkpoint_file,
)
from stgcn_reg.checkpoints.load_from import (
    convert_foreign_load_from,
    convert_original_load_from,
)
from stgcn_reg.registry import MODELS

# MMAction2 settings of the tiny demo model (channels 8, 8, 16, 16;
# strides 1, 2, 1, 1)
DEMO_TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
                 down_stages=[2])


@pytest.fixture
def mmaction(default_scope):
    return import_mmaction()


def demo_config(tmp_path, load_from, layout=None) -> Config:
    """The tiny demo model (8 classes), on ``layout`` if given."""
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.model.backbone.channels = [8, 8, 16, 16]
    cfg.model.backbone.strides = [1, 2, 1, 1]
    if layout is not None:
        cfg.model.backbone.graph_cfg.layout = layout
    cfg.model.cls_head.in_channels = 16
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = load_from
    return cfg


def save_reference(tmp_path, num_class: int) -> tuple:
    original = reference('ntu-rgb+d', 'spatial', num_class,
                         blocks=TINY_BLOCKS)
    path = str(tmp_path / f'st_gcn.{num_class}.pt')
    torch.save(original.state_dict(), path)
    return original, path


def test_load_from_is_pointed_at_a_converted_copy(tmp_path, default_scope):
    original, source = save_reference(tmp_path, 8)
    cfg = demo_config(tmp_path, source)
    converted = convert_original_load_from(cfg)
    assert converted == osp.join(cfg.work_dir, 'converted_st_gcn.8.pth')
    assert cfg.load_from == converted
    checkpoint = load_checkpoint_file(converted)
    assert checkpoint['meta']['converted_from'] == source
    assert checkpoint['meta']['not_converted'] == []
    model = MODELS.build(cfg.model).eval()
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    x = torch.randn(2, 3, 12, 25, 2)
    with torch.no_grad():
        torch.testing.assert_close(model(x), original(x), rtol=0,
                                   atol=1e-5)


def test_fine_tuning_leaves_another_classifier_out(tmp_path, default_scope):
    _, source = save_reference(tmp_path, 9)
    cfg = demo_config(tmp_path, source)
    with pytest.raises(OriginalCheckpointMismatchError,
                       match='only the classifier differs'):
        convert_original_load_from(cfg)
    assert cfg.load_from == source
    converted = convert_original_load_from(cfg, training=True)
    checkpoint = load_checkpoint_file(converted)
    assert checkpoint['meta']['not_converted'] == [
        'cls_head.fc.weight', 'cls_head.fc.bias'
    ]
    assert not any(key.startswith('cls_head')
                   for key in checkpoint['state_dict'])


def test_other_checkpoints_and_resumes_are_left_alone(tmp_path,
                                                      default_scope):
    ours = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict={'backbone.A': torch.zeros(1)}), ours)
    cfg = demo_config(tmp_path, ours)
    assert convert_original_load_from(cfg) is None
    assert cfg.load_from == ours
    _, source = save_reference(tmp_path, 8)
    cfg = demo_config(tmp_path, source)
    cfg.resume = True
    assert convert_original_load_from(cfg) is None
    assert cfg.load_from == source
    assert not osp.exists(cfg.work_dir)


def test_load_from_an_mmaction_checkpoint(tmp_path, mmaction):
    theirs = mmaction_stgcn('nturgb+d', 8, **DEMO_TINY)
    source = str(tmp_path / 'stgcn_mmaction.pth')
    torch.save(dict(state_dict=theirs.state_dict(), meta=dict(epoch=3)),
               source)
    cfg = demo_config(tmp_path, source, 'nturgb+d')
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


def test_fine_tuning_from_mmaction_leaves_the_classifier_out(tmp_path,
                                                            mmaction):
    theirs = mmaction_stgcn('nturgb+d', 60, **DEMO_TINY)
    source = str(tmp_path / 'ntu60.pth')
    torch.save(dict(state_dict=theirs.state_dict()), source)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='only the classifier differs'):
        convert_foreign_load_from(
            demo_config(tmp_path, source, 'nturgb+d'))
    cfg = demo_config(tmp_path, source, 'nturgb+d')
    out, _ = convert_foreign_load_from(cfg, training=True)
    assert load_checkpoint_file(out)['meta']['not_converted'] == [
        'cls_head.fc.weight', 'cls_head.fc.bias'
    ]
