# What every dataset base shares: the three dataloaders, the evaluator and
# the pipeline slots. A dataset base inherits this file and sets each
# loader's batch size and dataset (type, files, layout, pipeline).
#
# Pipelines are joined from named slots, always in this order:
#   normalize  per-clip normalisation (CenterSkeleton, PreNormalize3D)
#   features   stream transforms (JointToBone, ToMotion), on full clips
#   *_sample   frame selection of each split: train_sample, val_sample,
#              test_sample (RandomChoose, UniformSampleFrames)
#   augment    training-only augmentation (RandomMove)
# Slots a dataset base leaves out stay empty. A derived config replaces a
# slot by name and joins the pipelines again, e.g. a bone stream:
#   features = [dict(type='JointToBone', layout='ntu-rgb+d')]
#   val_dataloader = dict(dataset=dict(
#       pipeline=_base_.normalize + features + _base_.val_sample))
normalize = []
features = []
train_sample = []
val_sample = []
test_sample = []
augment = []

train_dataloader = dict(
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=normalize + features + train_sample + augment))
val_dataloader = dict(
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(pipeline=normalize + features + val_sample, test_mode=True))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(pipeline=normalize + features + test_sample, test_mode=True))

val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
