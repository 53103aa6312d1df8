# ST-GCN on NTU RGB+D 60 cross-subject read from HDF5 files (make them
# with tools/npy_to_h5.py); same reference recipe as stgcn_ntu_xsub.py.
_base_ = [
    '_base_/models/stgcn.py',
    '_base_/datasets/ntu_xsub_h5.py',
    '_base_/schedules/sgd_80e.py',
    '_base_/default_runtime.py',
]
