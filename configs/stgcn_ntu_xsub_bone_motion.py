# Bone-motion stream on NTU RGB+D 60 cross-subject: frame-to-frame
# differences of the bones (ToMotion after the bone stream's features).
_base_ = ['stgcn_ntu_xsub_bone.py']

features = _base_.features + [dict(type='ToMotion')]
train_dataloader = dict(dataset=dict(pipeline=features))
val_dataloader = dict(dataset=dict(pipeline=features))
test_dataloader = val_dataloader
