# ST-GCN on BOLD with both heads on one backbone: 26 categories (BCE) and
# valence/arousal/dominance (L1 on (v - 1) / 9), losses summed with the
# heads' loss_weight. Evaluated by mAP, mRA, mR2 and
# ERS = (mR2 + (mAP + mRA) / 2) / 2.
_base_ = ['stgcn_bold_categorical.py']

model = dict(
    category_head=dict(loss_weight=1.0),
    dimension_head=dict(
        type='RegressionHead',
        num_outputs=3,
        in_channels=256,
        dropout=0.5,
        loss='l1',
        value_range=(1.0, 10.0),
        loss_weight=1.0))

val_evaluator = dict(type='EmotionMetric')
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='emotion/ERS'))
