# ST-GCN on NTU RGB+D 60 cross-subject read straight from PYSKL's
# ntu60_3danno.pkl; same reference recipe as stgcn_ntu_xsub.py.
_base_ = [
    '_base_/models/stgcn.py',
    '_base_/datasets/pyskl_ntu60_xsub_3d.py',
    '_base_/schedules/sgd_80e.py',
    '_base_/default_runtime.py',
]
