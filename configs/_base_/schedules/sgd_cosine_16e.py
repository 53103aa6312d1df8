# PYSKL practice schedule: SGD + Nesterov, lr 0.1, weight decay 5e-4,
# cosine annealing to 0 updated every iteration, 16 epochs (of a training
# set repeated 5 times), validation every epoch.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=16,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# lr 0.1 goes with a total batch of 128 (16 per GPU x 8 GPUs); with
# another total batch, --auto-scale-lr scales it linearly.
auto_scale_lr = dict(enable=False, base_batch_size=128)
