# ST-GCN as in the paper: 10 blocks, spatial partition, edge importance.
model = dict(
    type='SkeletonRecognizer',
    backbone=dict(
        type='STGCN',
        in_channels=3,
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d', strategy='spatial'),
        edge_importance_weighting=True,
        dropout=0.5),
    cls_head=dict(type='ClsHead', num_classes=60, in_channels=256))
