# ST-GCN++ (PYSKL): ST-GCN's ten blocks with a learned adjacency per
# block (initialised from the spatial partition), a shortcut inside the
# graph convolution and multi-scale temporal convolutions; no dropout.
model = dict(
    type='SkeletonRecognizer',
    backbone=dict(
        type='STGCNPP',
        in_channels=3,
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d', strategy='spatial')),
    cls_head=dict(type='ClsHead', num_classes=60, in_channels=256))
