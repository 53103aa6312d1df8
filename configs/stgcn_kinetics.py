# ST-GCN on Kinetics-skeleton: 18-joint OpenPose graph, 400 classes,
# window 150 with random choose + move, batch 256, 50 epochs,
# lr x0.1 at epochs 20, 30, 40 and 50.
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/kinetics.py',
    '_base_/schedules/sgd_50e.py', '_base_/default_runtime.py'
]

model = dict(
    backbone=dict(
        graph_cfg=dict(layout='openpose'),
        dropout=0.0),
    cls_head=dict(num_classes=400))
