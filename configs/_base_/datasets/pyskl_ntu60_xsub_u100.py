# NTU RGB+D 60 cross-subject from PYSKL's 3D annotation pickle
# (ntu60_3danno.pkl: splits xsub_train/xsub_val, variable-length clips),
# with the data side of PYSKL's training practice:
# - PreNormalize3D: keep the main person's frames, centre on the spine
#   middle, spine on +z, shoulders on +x;
# - UniformSampleFrames(clip_len=100): one random frame from each of 100
#   equal segments of the clip; validation 1 clip, test 10 clips with a
#   fixed seed (the recognizer averages the clips' softmax scores);
# - the training set repeated 5 times per epoch (RepeatDataset), batch 16
#   per GPU on 8 GPUs.
# Feature transforms (JointToBone, ToMotion) go between the two, on the
# full-rate frames; see stgcn_ntu_xsub_u100_bone.py.
ann_file = 'data/skeleton/ntu60_3danno.pkl'
dataset_type = 'PoseAnnotationDataset'
num_classes = 60
train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='UniformSampleFrames', clip_len=100),
]
val_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='UniformSampleFrames', clip_len=100, num_clips=1,
         test_mode=True),
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='UniformSampleFrames', clip_len=100, num_clips=10,
         test_mode=True),
]

train_dataloader = dict(
    batch_size=16,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='RepeatDataset',
        times=5,
        dataset=dict(
            type=dataset_type,
            ann_file=ann_file,
            split='xsub_train',
            num_classes=num_classes,
            layout='ntu-rgb+d',
            max_persons=2,
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=16,
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
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=16,
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
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
