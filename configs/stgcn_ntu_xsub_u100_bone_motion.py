# Bone-motion stream of the PYSKL-practice ST-GCN on NTU-60 xsub: the
# frame-to-frame differences of PYSKL's bones (GenSkeFeat feats=['bm'])
# in the features slot, before the sampling.
_base_ = ['stgcn_ntu_xsub_u100_bone.py']

features = [dict(type='GenSkeFeat', dataset='nturgb+d', feats=['bm'])]
# the slots on the full-rate frames, then each split's sampling
full_rate = _base_.normalize + features
train_dataloader = dict(dataset=dict(dataset=dict(
    pipeline=full_rate + _base_.train_sample)))
val_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.val_sample))
test_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.test_sample))
