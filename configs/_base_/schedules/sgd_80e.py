# Reference NTU RGB+D schedule: SGD + Nesterov, lr 0.1 decayed x0.1 at
# epochs 10 and 50, 80 epochs, validation every 5 epochs.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[10, 50], gamma=0.1)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# The reference lr goes with a total batch of 64 (--auto-scale-lr).
auto_scale_lr = dict(enable=False, base_batch_size=64)
