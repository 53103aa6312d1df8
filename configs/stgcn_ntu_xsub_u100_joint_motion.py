# Joint-motion stream of the PYSKL-practice ST-GCN on NTU-60 xsub:
# PYSKL's frame-to-frame joint differences (GenSkeFeat feats=['jm']) in
# the features slot, on the full-rate frames before the sampling. The
# four streams fused 2:2:1:1 (joint, bone, joint motion, bone motion)
# reach 90.7 top-1 in PYSKL.
_base_ = ['stgcn_ntu_xsub_u100.py']

features = [dict(type='GenSkeFeat', dataset='nturgb+d', feats=['jm'])]
# the slots on the full-rate frames, then each split's sampling
full_rate = _base_.normalize + features
train_dataloader = dict(dataset=dict(dataset=dict(
    pipeline=full_rate + _base_.train_sample)))
val_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.val_sample))
test_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.test_sample))
