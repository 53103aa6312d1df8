# Joint-motion stream on NTU RGB+D 60 cross-subject: frame-to-frame
# differences of the joints (ToMotion after the joint stream's pipelines).
_base_ = ['stgcn_ntu_xsub_joint.py']

train_pipeline = _base_.train_pipeline + [dict(type='ToMotion')]
val_pipeline = _base_.val_pipeline + [dict(type='ToMotion')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
