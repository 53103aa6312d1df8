# PYSKL-practice ST-GCN on NTU RGB+D 60 cross-view (joint stream): the
# xview_train / xview_val splits of ntu60_3danno.pkl, same recipe as
# stgcn_ntu_xsub_u100.py.
_base_ = ['stgcn_ntu_xsub_u100.py']

train_dataloader = dict(dataset=dict(dataset=dict(split='xview_train')))
val_dataloader = dict(dataset=dict(split='xview_val'))
test_dataloader = dict(dataset=dict(split='xview_val'))
