# ST-GCN on BOLD body-language clips: 26 emotion categories as a
# multi-label task (BCE with logits on the annotators' scores), evaluated
# by mAP and mean ROC AUC. OpenPose 18-joint graph, one person.
_base_ = ['_base_/datasets/bold.py', '_base_/default_runtime.py']

model = dict(
    type='EmotionRecognizer',
    backbone=dict(
        type='STGCN',
        in_channels=3,
        graph_cfg=dict(type='Graph', layout='openpose', strategy='spatial'),
        edge_importance_weighting=True,
        dropout=0.0),
    # target='binary' trains on score >= threshold instead of the soft
    # score; pos_weight='data/BOLD/train_label.pkl' weighs each category's
    # positives by its negatives / positives in that file
    category_head=dict(
        type='MultiLabelHead',
        num_classes=26,
        in_channels=256,
        dropout=0.5,
        target='scores',
        threshold=0.5,
        pos_weight=None))

# SGD with cosine decay over 50 epochs; `end` keeps the schedule fixed
# when --epochs changes (e.g. on resume).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        T_max=50,
        eta_min=1e-4,
        end=50)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(enable=False, base_batch_size=32)

# keep the checkpoint with the best validation mAP
default_hooks = dict(
    checkpoint=dict(interval=5, save_best='emotion/mAP', rule='greater'))
