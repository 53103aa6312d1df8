# NTU RGB+D 60 cross-subject from PYSKL's 3D annotation pickle
# (ntu60_3danno.pkl: splits xsub_train/xsub_val, variable-length clips),
# with the data side of PYSKL's training practice, transform for
# transform as PYSKL's configs (the same arrays, the same frames):
# - PreNormalize3D: keep the main person's frames, centre on the spine
#   middle, spine on +z, shoulders on +x;
# - GenSkeFeat(dataset='nturgb+d', feats=['j']): the joint stream; the
#   bone and motion configs ask for 'b', 'jm' or 'bm' (PYSKL's bones and
#   motion: plain differences, missing joints included);
# - UniformSampleFrames(clip_len=100, sampling='pyskl'): 100 frames spread
#   over the whole clip, drawn exactly as PYSKL draws them; validation 1
#   clip, test 10 clips with PYSKL's fixed seed 255 (the recognizer
#   averages the clips' softmax scores);
# - the training set repeated 5 times per epoch (RepeatDataset), batch 16
#   per GPU on 8 GPUs.
# The features slot sits between the two, on the full-rate frames; see
# stgcn_ntu_xsub_u100_bone.py.
_base_ = ['./_loaders.py']

ann_file = 'data/skeleton/ntu60_3danno.pkl'
dataset_type = 'PoseAnnotationDataset'
num_classes = 60
# names the tools print (stgcn_reg/datasets/class_names.py)
class_names = 'ntu60'
# what the datasets of all splits share
feeder = dict(type=dataset_type, ann_file=ann_file, num_classes=num_classes,
              layout='ntu-rgb+d', max_persons=2)
# pipeline slots (see _loaders.py)
normalize = [dict(type='PreNormalize3D')]
features = [dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j'])]
train_sample = [
    dict(type='UniformSampleFrames', clip_len=100, sampling='pyskl')
]
val_sample = [
    dict(type='UniformSampleFrames', clip_len=100, num_clips=1,
         test_mode=True, sampling='pyskl')
]
test_sample = [
    dict(type='UniformSampleFrames', clip_len=100, num_clips=10,
         test_mode=True, sampling='pyskl')
]
# the slots on the full-rate frames, before each split's sampling
full_rate = normalize + features

train_dataloader = dict(
    batch_size=16,
    dataset=dict(
        _delete_=True,  # the feeder goes inside, with the pipeline
        type='RepeatDataset',
        times=5,
        dataset=dict(
            feeder,
            split='xsub_train',
            pipeline=full_rate + train_sample)))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(feeder, split='xsub_val', pipeline=full_rate + val_sample))
test_dataloader = dict(
    batch_size=16,
    dataset=dict(feeder, split='xsub_val', pipeline=full_rate + test_sample))
