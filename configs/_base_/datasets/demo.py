# Synthetic NTU-format demo data written by tools/make_demo_data.py:
# (N, 3, 64, 25, 2) clips of 8 kinematic actions, held-out validation
# people, speeds and camera placements.
_base_ = ['./_loaders.py']

data_root = 'data/demo/'
dataset_type = 'SkeletonDataset'
num_classes = 8
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'demo'
# what the datasets of all splits share
feeder = dict(type=dataset_type, num_classes=num_classes, layout='ntu-rgb+d')
# pipeline slots (see _loaders.py): centre each body on its
# middle-of-spine joint (index 1) of the first frame, so the network sees
# motion, not where the person stood; move it randomly in training
normalize = [dict(type='CenterSkeleton', center_joint=1)]
augment = [dict(type='RandomMove')]

train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        feeder,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        pipeline=normalize + augment))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        feeder,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl',
        pipeline=normalize))
test_dataloader = val_dataloader
