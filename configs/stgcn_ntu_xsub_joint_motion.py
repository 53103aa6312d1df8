# Joint-motion stream on NTU RGB+D 60 cross-subject: frame-to-frame
# differences of the joints (ToMotion as the features of the joint
# stream's pipelines).
_base_ = ['stgcn_ntu_xsub_joint.py']

features = [dict(type='ToMotion')]
train_dataloader = dict(dataset=dict(pipeline=features))
val_dataloader = dict(dataset=dict(pipeline=features))
test_dataloader = val_dataloader
