# Reference Kinetics-skeleton schedule: lr 0.1 decayed x0.1 at epochs 20,
# 30, 40 and 50, 50 epochs.
_base_ = ['./sgd_80e.py']

param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[20, 30, 40, 50],
        gamma=0.1)
]
train_cfg = dict(max_epochs=50)
auto_scale_lr = dict(base_batch_size=256)
