# PYSKL-practice ST-GCN on NTU RGB+D 120 cross-subject (joint stream):
# PYSKL's ntu120_3danno.pkl, splits xsub_train / xsub_val, 120 classes;
# same recipe as stgcn_ntu_xsub_u100.py.
_base_ = ['stgcn_ntu_xsub_u100.py']

ann_file = 'data/skeleton/ntu120_3danno.pkl'
num_classes = 120
class_names = 'ntu120'
model = dict(cls_head=dict(num_classes=num_classes))
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=ann_file, split='xsub_train',
            num_classes=num_classes)))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file, split='xsub_val', num_classes=num_classes))
test_dataloader = val_dataloader
