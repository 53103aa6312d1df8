# ST-GCN on BOLD: valence, arousal and dominance (rated 1-10) regressed on
# the [0, 1] scale (v - 1) / 9 with an L1 loss, evaluated by mean R^2.
# Same data, backbone and schedule as stgcn_bold_categorical.py.
_base_ = ['stgcn_bold_categorical.py']

model = dict(
    category_head=None,
    dimension_head=dict(
        type='RegressionHead',
        num_outputs=3,
        in_channels=256,
        dropout=0.5,
        loss='l1',
        value_range=(1.0, 10.0)))

val_evaluator = dict(_delete_=True, type='EmotionDimensionMetric')
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='emotion/mR2'))
