# NTU RGB+D 60 cross-subject stored as HDF5 (one file per split with
# data (N, 3, 300, 25, 2) float32 chunked per sample, label and
# sample_name), as written by tools/npy_to_h5.py from the .npy + .pkl pair
# of tools/ntu_gendata.py. Samples are read one at a time; each DataLoader
# worker opens its own file handle. No augmentation, as the reference.
data_root = 'data/NTU-RGB-D/xsub/'
dataset_type = 'H5SkeletonDataset'
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
        data_path=data_root + 'train.h5',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        pipeline=train_pipeline,
    ),
)
val_dataloader = dict(
    batch_size=64,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'val.h5',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        pipeline=val_pipeline,
        test_mode=True,
    ),
)
test_dataloader = val_dataloader

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
