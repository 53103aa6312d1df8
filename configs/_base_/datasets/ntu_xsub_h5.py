# NTU RGB+D 60 cross-subject stored as HDF5 (one file per split with
# data (N, 3, 300, 25, 2) float32 chunked per sample, label and
# sample_name), as written by tools/npy_to_h5.py from the .npy + .pkl pair
# of tools/ntu_gendata.py. Samples are read one at a time; each DataLoader
# worker opens its own file handle. No augmentation, as the reference.
_base_ = ['./_loaders.py']

data_root = 'data/NTU-RGB-D/xsub/'
dataset_type = 'H5SkeletonDataset'
num_classes = 60
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'ntu60'
# what the datasets of all splits share
feeder = dict(type=dataset_type, num_classes=num_classes, layout='ntu-rgb+d')

train_dataloader = dict(
    batch_size=64, dataset=dict(feeder, data_path=data_root + 'train.h5'))
val_dataloader = dict(
    batch_size=64, dataset=dict(feeder, data_path=data_root + 'val.h5'))
test_dataloader = val_dataloader
