# BOLD body-language clips (OpenPose, 18 joints, x, y, confidence of the
# annotated person), as written by tools/bold_gendata.py:
# (N, 3, 300, 18, 1) + label files with 26 category scores and
# valence/arousal/dominance. Training takes a random 150-frame window of
# the valid frames and a random move; validation sees the whole clip.
_base_ = ['./_loaders.py']

data_root = 'data/BOLD/'
dataset_type = 'BoldDataset'
# what the datasets of all splits share
feeder = dict(type=dataset_type, layout='openpose')
# pipeline slots (see _loaders.py)
train_sample = [dict(type='RandomChoose', window_size=150)]
augment = [dict(type='RandomMove')]

train_dataloader = dict(
    batch_size=32,
    dataset=dict(
        feeder,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        pipeline=train_sample + augment))
val_dataloader = dict(
    batch_size=64,
    dataset=dict(
        feeder,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl'))
# test_meta.csv carries no labels: test on the validation split
test_dataloader = val_dataloader

# mAP and mean ROC AUC binarise the category scores at >= 0.5
val_evaluator = dict(_delete_=True, type='EmotionCategoryMetric',
                     threshold=0.5)
test_evaluator = val_evaluator
