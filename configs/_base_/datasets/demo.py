# Synthetic NTU-format demo data written by tools/make_demo_data.py:
# (N, 3, 64, 25, 2) clips of 8 kinematic actions, held-out validation
# people, speeds and camera placements.
data_root = 'data/demo/'
dataset_type = 'SkeletonDataset'
num_classes = 8
# centre each body on its middle-of-spine joint (index 1) of the first
# frame, so the network sees motion, not where the person stood
train_pipeline = [
    dict(type='CenterSkeleton', center_joint=1),
    dict(type='RandomMove'),
]
val_pipeline = [dict(type='CenterSkeleton', center_joint=1)]

train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
