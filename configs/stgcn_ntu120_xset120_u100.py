# PYSKL-practice ST-GCN on NTU RGB+D 120 cross-setup (joint stream):
# PYSKL's ntu120_3danno.pkl, splits xset_train / xset_val, 120 classes.
_base_ = ['stgcn_ntu120_xsub120_u100.py']

train_dataloader = dict(dataset=dict(dataset=dict(split='xset_train')))
val_dataloader = dict(dataset=dict(split='xset_val'))
test_dataloader = val_dataloader
