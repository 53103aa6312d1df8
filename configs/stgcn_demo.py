# README demo: a narrow ST-GCN (same graph, blocks and strides, a quarter
# of the channels) trained on the synthetic demo data on a laptop CPU in
# a few minutes.
_base_ = [
    '_base_/models/stgcn.py', '_base_/datasets/demo.py',
    '_base_/default_runtime.py'
]

model = dict(
    backbone=dict(
        channels=(16, 16, 16, 16, 32, 32, 32, 64, 64, 64),
        dropout=0.1),
    cls_head=dict(num_classes=8, in_channels=64))

# Short schedule: cosine decay from lr 0.1 over 10 epochs. `end` is set so
# the schedule stays the same when --epochs changes (e.g. on resume).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        T_max=10,
        eta_min=1e-3,
        end=10)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=2)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=32)

default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=5, max_keep_ckpts=2))
randomness = dict(seed=0)
