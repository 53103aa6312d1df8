# Kinetics-skeleton (OpenPose, 18 joints, x, y, score), as written by
# tools/kinetics_gendata.py: (N, 3, 300, 18, 2). Training takes a random
# 150-frame window and a random move, as the reference recipe.
data_root = 'data/Kinetics/kinetics-skeleton/'
dataset_type = 'SkeletonDataset'
num_classes = 400
train_pipeline = [
    dict(type='RandomChoose', window_size=150),
    dict(type='RandomMove'),
]
val_pipeline = []

train_dataloader = dict(
    batch_size=256,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        num_classes=num_classes,
        layout='openpose',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl',
        num_classes=num_classes,
        layout='openpose',
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
