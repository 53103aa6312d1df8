# ST-GCN on NTU RGB+D 60 cross-subject with the reference hyperparameters:
# SGD lr 0.1 (Nesterov, wd 1e-4), x0.1 at epochs 10 and 50, 80 epochs,
# batch 64, dropout 0.5.
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/ntu_xsub.py',
    '_base_/schedules/sgd_80e.py', '_base_/default_runtime.py'
]
