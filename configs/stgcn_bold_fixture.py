# README example: a narrow joint-emotion ST-GCN (4 blocks) trained on the
# synthetic BOLD-format release of tools/make_bold_fixture.py, converted
# with --num-frames 48; seconds per epoch on a laptop CPU.
_base_ = ['stgcn_bold_joint.py']

model = dict(
    backbone=dict(channels=(16, 16, 32, 32), strides=(1, 2, 1, 1)),
    category_head=dict(in_channels=32, dropout=0.0),
    dimension_head=dict(in_channels=32, dropout=0.0))

data_root = 'data/bold_fixture/npy/'
# the clips have 48 frames: a random offset in a 48-frame window (the
# sample slot of the training pipeline, see _base_/datasets/_loaders.py)
train_sample = [dict(type='RandomChoose', window_size=48)]
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        pipeline=train_sample + _base_.augment))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl'))
test_dataloader = val_dataloader

param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=20, eta_min=1e-3,
         end=20)
]
train_cfg = dict(max_epochs=20, val_interval=5)
default_hooks = dict(logger=dict(interval=5))
randomness = dict(seed=0)
