"""One function tells the checkpoint formats apart."""
import torch
from mmaction_reference import import_mmaction, mmaction_stgcn
from reference_stgcn import TINY_BLOCKS, reference

from stgcn_reg.checkpoints import (
    FORMATS,
    MMACTION,
    ORIGINAL_STGCN,
    OURS,
    detect_format,
    read_state_dict,
)
from stgcn_reg.registry import MODELS


def test_each_format_is_told_apart(default_scope):
    import_mmaction()
    original = reference('ntu-rgb+d', 'spatial', 8,
                         blocks=TINY_BLOCKS).state_dict()
    theirs = mmaction_stgcn('coco', 4, base_channels=8, num_stages=4,
                            inflate_stages=[3], down_stages=[3]).state_dict()
    ours = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', graph_cfg=dict(type='Graph',
                                                   layout='coco')),
        cls_head=dict(type='ClsHead', num_classes=3))).state_dict()
    assert detect_format(original) is ORIGINAL_STGCN
    assert detect_format(theirs) is MMACTION
    assert detect_format(dict(state_dict=theirs, meta={})) is MMACTION
    assert detect_format(ours) is OURS
    assert detect_format(dict(state_dict=ours, meta={})) is OURS
    assert detect_format({}) is None
    assert detect_format(dict(state_dict={'a': 1})) is None
    assert FORMATS[-1] is OURS  # the catch-all comes last
    assert MMACTION.describe(theirs) == 'MMAction2 ST-GCN'
    assert ORIGINAL_STGCN.from_ours is None and OURS.save_as_ours is None


def test_a_file_is_read_only_in_the_format_asked_for(tmp_path):
    path = str(tmp_path / 'state.pth')
    tensors = {'backbone.A': torch.zeros(1)}
    torch.save(dict(state_dict=tensors, meta={}), path)
    assert list(read_state_dict(path, OURS)) == ['backbone.A']
    assert read_state_dict(path, ORIGINAL_STGCN) is None
