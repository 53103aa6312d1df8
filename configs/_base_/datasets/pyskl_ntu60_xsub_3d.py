# NTU RGB+D 60 cross-subject from the PYSKL / MMAction2 3D annotation
# pickle (ntu60_3danno.pkl: splits xsub_train/xsub_val, keypoint
# (M, T, 25, 3)), read directly without conversion. Each clip becomes a
# (3, 300, 25, 2) sample: first 2 persons, zero-padded to 300 frames.
# The whole pickle is loaded once per dataset at start (train and val
# each); workers share the parsed samples. No augmentation, as the
# reference NTU recipe.
ann_file = 'data/skeleton/ntu60_3danno.pkl'
dataset_type = 'PoseAnnotationDataset'
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
        ann_file=ann_file,
        split='xsub_train',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        max_persons=2,
        num_frames=300,
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
        ann_file=ann_file,
        split='xsub_val',
        num_classes=num_classes,
        layout='ntu-rgb+d',
        max_persons=2,
        num_frames=300,
        pipeline=val_pipeline,
        test_mode=True,
    ),
)
test_dataloader = val_dataloader

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
