# ST-GCN++ on NTU RGB+D 60 cross-subject, bone stream: JointToBone after
# PreNormalize3D, before the frame sampling. PYSKL reports 90.1 top-1;
# not reproduced here.
_base_ = ['stgcnpp_ntu_xsub_joint.py']

feature_transforms = [dict(type='JointToBone', layout='ntu-rgb+d')]
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
