# Kinetics-skeleton (OpenPose, 18 joints, x, y, score), as written by
# tools/kinetics_gendata.py: (N, 3, 300, 18, 2). Training takes a random
# 150-frame window and a random move, as the reference recipe.
_base_ = ['./_loaders.py']

data_root = 'data/Kinetics/kinetics-skeleton/'
dataset_type = 'SkeletonDataset'
num_classes = 400
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'kinetics400'
# what the datasets of all splits share
feeder = dict(type=dataset_type, num_classes=num_classes, layout='openpose')
# pipeline slots (see _loaders.py)
train_sample = [dict(type='RandomChoose', window_size=150)]
augment = [dict(type='RandomMove')]

train_dataloader = dict(
    batch_size=256,
    dataset=dict(
        feeder,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        pipeline=train_sample + augment))
val_dataloader = dict(
    batch_size=256,
    dataset=dict(
        feeder,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl'))
test_dataloader = val_dataloader
