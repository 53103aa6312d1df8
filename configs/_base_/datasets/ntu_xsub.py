# NTU RGB+D 60 cross-subject, as written by tools/ntu_gendata.py:
# (N, 3, 300, 25, 2) float32 arrays and (sample_names, labels) pickles.
# The reference recipe uses no augmentation on NTU: every pipeline slot
# of _loaders.py stays empty, so a stream's pipelines are its features
# slot alone (see stgcn_ntu_xsub_bone.py).
_base_ = ['./_loaders.py']

data_root = 'data/NTU-RGB-D/xsub/'
dataset_type = 'SkeletonDataset'
num_classes = 60
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'ntu60'
# what the datasets of all splits share
feeder = dict(type=dataset_type, num_classes=num_classes, layout='ntu-rgb+d')

train_dataloader = dict(
    batch_size=64,
    dataset=dict(
        feeder,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl'))
val_dataloader = dict(
    batch_size=64,
    dataset=dict(
        feeder,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl'))
test_dataloader = val_dataloader
