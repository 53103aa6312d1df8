# Bone-motion stream of the PYSKL-practice ST-GCN on NTU-60 xsub:
# JointToBone then ToMotion, before the sampling.
_base_ = ['stgcn_ntu_xsub_u100.py']

feature_transforms = [
    dict(type='JointToBone', layout='ntu-rgb+d'),
    dict(type='ToMotion')
]
train_pipeline = (
    _base_.train_pipeline[:1] + feature_transforms +
    _base_.train_pipeline[1:])
val_pipeline = (
    _base_.val_pipeline[:1] + feature_transforms + _base_.val_pipeline[1:])
test_pipeline = (
    _base_.test_pipeline[:1] + feature_transforms +
    _base_.test_pipeline[1:])
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
