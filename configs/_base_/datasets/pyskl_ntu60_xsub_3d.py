# NTU RGB+D 60 cross-subject from the PYSKL / MMAction2 3D annotation
# pickle (ntu60_3danno.pkl: splits xsub_train/xsub_val, keypoint
# (M, T, 25, 3)), read directly without conversion. Each clip becomes a
# (3, 300, 25, 2) sample: first 2 persons, zero-padded to 300 frames.
# The whole pickle is loaded once per dataset at start (train and val
# each); workers share the parsed samples. No augmentation, as the
# reference NTU recipe.
_base_ = ['./_loaders.py']

ann_file = 'data/skeleton/ntu60_3danno.pkl'
dataset_type = 'PoseAnnotationDataset'
num_classes = 60
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'ntu60'
# what the datasets of all splits share
feeder = dict(type=dataset_type, ann_file=ann_file, num_classes=num_classes,
              layout='ntu-rgb+d', max_persons=2, num_frames=300)

train_dataloader = dict(
    batch_size=64, dataset=dict(feeder, split='xsub_train'))
val_dataloader = dict(batch_size=64, dataset=dict(feeder, split='xsub_val'))
test_dataloader = val_dataloader
