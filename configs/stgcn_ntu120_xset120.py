# ST-GCN on NTU RGB+D 120 xset, with the NTU-60 reference recipe
# (SGD lr 0.1, Nesterov, wd 1e-4, 80 epochs, x0.1 at 10 and 50, batch 64).
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/ntu120_xset120.py',
    '_base_/schedules/sgd_80e.py', '_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=120))
