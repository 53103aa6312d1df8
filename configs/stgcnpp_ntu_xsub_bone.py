# ST-GCN++ on NTU RGB+D 60 cross-subject, bone stream: PYSKL's bones
# (GenSkeFeat feats=['b']) in the features slot, after PreNormalize3D,
# before the frame sampling. PYSKL reports 90.1 top-1; not reproduced here.
_base_ = ['stgcnpp_ntu_xsub_joint.py']

features = [dict(type='GenSkeFeat', dataset='nturgb+d', feats=['b'])]
# the slots on the full-rate frames, then each split's sampling
full_rate = _base_.normalize + features
train_dataloader = dict(dataset=dict(dataset=dict(
    pipeline=full_rate + _base_.train_sample)))
val_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.val_sample))
test_dataloader = dict(dataset=dict(pipeline=full_rate + _base_.test_sample))
