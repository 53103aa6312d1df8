# ST-GCN on NTU RGB+D 60 cross-view, reference hyperparameters.
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/ntu_xview.py',
    '_base_/schedules/sgd_80e.py', '_base_/default_runtime.py'
]
