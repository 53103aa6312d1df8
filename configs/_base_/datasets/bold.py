# BOLD body-language clips (OpenPose, 18 joints, x, y, confidence of the
# annotated person), as written by tools/bold_gendata.py:
# (N, 3, 300, 18, 1) + label files with 26 category scores and
# valence/arousal/dominance. Training takes a random 150-frame window of
# the valid frames and a random move; validation sees the whole clip.
data_root = 'data/BOLD/'
dataset_type = 'BoldDataset'
train_pipeline = [
    dict(type='RandomChoose', window_size=150),
    dict(type='RandomMove'),
]
val_pipeline = []

train_dataloader = dict(
    batch_size=32,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'train_data.npy',
        label_path=data_root + 'train_label.pkl',
        layout='openpose',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers='auto',  # per machine: stgcn_reg/cli/loader_defaults.py
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_path=data_root + 'val_data.npy',
        label_path=data_root + 'val_label.pkl',
        layout='openpose',
        pipeline=val_pipeline,
        test_mode=True))
# test_meta.csv carries no labels: test on the validation split
test_dataloader = val_dataloader

# mAP and mean ROC AUC binarise the category scores at >= 0.5
val_evaluator = dict(type='EmotionCategoryMetric', threshold=0.5)
test_evaluator = val_evaluator
