# Bone stream of multi-stream ST-GCN on NTU RGB+D 60 cross-subject: each
# joint minus its parent toward the spine shoulder (JointToBone), appended
# to the joint stream's pipelines; same reference recipe otherwise.
_base_ = ['stgcn_ntu_xsub_joint.py']

train_pipeline = _base_.train_pipeline + [
    dict(type='JointToBone', layout='ntu-rgb+d')
]
val_pipeline = _base_.val_pipeline + [
    dict(type='JointToBone', layout='ntu-rgb+d')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
