# NTU RGB+D 120 cross-subject (training subjects of the NTU-120 paper),
# written by `tools/ntu_gendata.py --benchmark xsub120 --out_folder
# data/NTU-RGB-D-120`: (N, 3, 300, 25, 2) arrays, labels 0..119.
_base_ = ['./ntu_xsub.py']

data_root = 'data/NTU-RGB-D-120/xsub120/'
num_classes = 120
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'ntu120'
train_dataloader = dict(
    dataset=dict(
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        num_classes=num_classes))
val_dataloader = dict(
    dataset=dict(
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl',
        num_classes=num_classes))
test_dataloader = val_dataloader
