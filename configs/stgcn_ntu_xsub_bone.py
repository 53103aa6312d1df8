# Bone stream of multi-stream ST-GCN on NTU RGB+D 60 cross-subject: each
# joint minus its parent toward the spine shoulder (JointToBone). The
# reference NTU pipelines are the features slot alone (see
# _base_/datasets/ntu_xsub.py); same reference recipe otherwise.
_base_ = ['stgcn_ntu_xsub_joint.py']

features = [dict(type='JointToBone', layout='ntu-rgb+d')]
train_dataloader = dict(dataset=dict(pipeline=features))
val_dataloader = dict(dataset=dict(pipeline=features))
test_dataloader = val_dataloader
