# Bone stream of the PYSKL-practice ST-GCN on NTU-60 xsub: PYSKL's bones
# (GenSkeFeat feats=['b']) in the features slot, after PreNormalize3D,
# before the frame sampling (PYSKL reports 88.6 top-1; 90.0 fused 1:1
# with the joint stream).
_base_ = ['stgcn_ntu_xsub_u100.py']

features = [dict(type='GenSkeFeat', dataset='nturgb+d', feats=['b'])]
# the slots on the full-rate frames, then each split's sampling
full_rate = _base_.normalize + features
train_dataloader = dict(dataset=dict(dataset=dict(
    pipeline=full_rate + _base_.train_sample)))
val_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.val_sample))
test_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.test_sample))
