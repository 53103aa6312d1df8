# ST-GCN++ (PYSKL; MMAction2's STGCN with gcn_adaptive='init',
# gcn_with_res=True, tcn_type='mstcn'): ST-GCN's ten blocks with a learned
# adjacency per block, a shortcut inside the graph convolution and
# multi-scale temporal convolutions; no dropout. The adjacency starts from
# MMAction2's NTU graph in its 'spatial' mode (identity, inward, outward),
# as the MMAction2 / PYSKL ST-GCN++ configs have it.
model = dict(
    type='SkeletonRecognizer',
    backbone=dict(
        type='STGCNPP',
        in_channels=3,
        graph_cfg=dict(type='Graph', layout='nturgb+d', mode='spatial')),
    cls_head=dict(type='ClsHead', num_classes=60, in_channels=256))
