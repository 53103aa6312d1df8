# NTU RGB+D 60 cross-view: same format as cross-subject, other split.
_base_ = ['./ntu_xsub.py']

data_root = 'data/NTU-RGB-D/xview/'
train_dataloader = dict(
    dataset=dict(
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl'))
val_dataloader = dict(
    dataset=dict(
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl'))
test_dataloader = val_dataloader
