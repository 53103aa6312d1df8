# Joint-motion stream of the PYSKL-practice ST-GCN on NTU-60 xsub:
# frame-to-frame joint differences (ToMotion) on the full-rate frames,
# before the sampling. The four streams fused 2:2:1:1 (joint, bone, joint
# motion, bone motion) reach 90.7 top-1 in PYSKL.
_base_ = ['stgcn_ntu_xsub_u100.py']

feature_transforms = [dict(type='ToMotion')]
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
