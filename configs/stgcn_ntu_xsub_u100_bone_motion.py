# Bone-motion stream of the PYSKL-practice ST-GCN on NTU-60 xsub:
# JointToBone then ToMotion in the features slot, before the sampling.
_base_ = ['stgcn_ntu_xsub_u100_bone.py']

features = _base_.features + [dict(type='ToMotion')]
# the slots on the full-rate frames, then each split's sampling
full_rate = _base_.normalize + features
train_dataloader = dict(dataset=dict(dataset=dict(
    pipeline=full_rate + _base_.train_sample)))
val_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.val_sample))
test_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.test_sample))
