# NTU RGB+D 60 cross-subject, as written by tools/ntu_gendata.py:
# (N, 3, 300, 25, 2) float32 arrays and (sample_names, labels) pickles.
# The reference recipe uses no augmentation on NTU.
data_root = 'data/NTU-RGB-D/xsub/'
dataset_type = 'SkeletonDataset'
num_classes = 60
train_pipeline = []
val_pipeline = []

train_dataloader = dict(
    batch_size=64,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
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
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
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
