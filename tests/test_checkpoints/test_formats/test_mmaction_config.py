"""Our ST-GCN configs as MMAction2's RecognizerGCN."""
from stgcn_reg.checkpoints.formats.mmaction_config import mmaction_model_cfg


def test_stages_follow_channels_and_strides():
    ours = dict(
        backbone=dict(type='STGCN', in_channels=3,
                      graph_cfg=dict(type='Graph', layout='coco', max_hop=2),
                      channels=[8, 8, 16, 16, 32], strides=[1, 1, 2, 1, 1]),
        cls_head=dict(type='ClsHead', num_classes=5, in_channels=32))
    assert mmaction_model_cfg(ours) == dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN',
                      graph_cfg=dict(layout='coco', mode='stgcn_spatial',
                                     max_hop=2),
                      in_channels=3, base_channels=8, num_stages=5,
                      inflate_stages=[3, 5], down_stages=[3], ch_ratio=2),
        cls_head=dict(type='GCNHead', num_classes=5, in_channels=32))
    del ours['cls_head']
    assert 'cls_head' not in mmaction_model_cfg(ours)
