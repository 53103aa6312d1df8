# Two-stream ST-GCN on Kinetics-skeleton, as the reference
# st_gcn_twostream: two identical ST-GCNs (OpenPose graph, 400 classes),
# one on the skeletons and one on their motion (second difference in
# time), logits summed. Data and schedule as stgcn_kinetics.py.
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/kinetics.py',
    '_base_/schedules/sgd_50e.py', '_base_/default_runtime.py'
]

model = dict(
    type='TwoStreamRecognizer',
    backbone=dict(
        graph_cfg=dict(layout='openpose'),
        dropout=0.0),
    cls_head=dict(num_classes=400))
