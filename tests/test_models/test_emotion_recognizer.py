"""EmotionRecognizer: one backbone, category and/or dimension heads."""
import pytest
import torch

from stgcn_reg.registry import MODELS

BACKBONE = dict(type='STGCN', graph_cfg=dict(type='Graph', layout='openpose'),
                channels=(8, 8), strides=(1, 2))
CATEGORY = dict(type='MultiLabelHead', num_classes=26, in_channels=8)
DIMENSION = dict(type='RegressionHead', num_outputs=3, in_channels=8)


def build(**heads):
    model = MODELS.build(dict(type='EmotionRecognizer', backbone=BACKBONE,
                              **heads))
    model.init_weights()
    return model


def batch(num=2):
    torch.manual_seed(0)
    return torch.randn(num, 3, 12, 18, 1), dict(
        categories=torch.rand(num, 26),
        dimensions=1 + 9 * torch.rand(num, 3),
        index=torch.arange(num), sample_name=[f's{i}' for i in range(num)])


def test_joint_model_sums_weighted_losses(default_scope):
    model = build(category_head=dict(CATEGORY, loss_weight=0.5),
                  dimension_head=dict(DIMENSION, loss_weight=2.0))
    inputs, samples = batch()
    outputs = model(inputs)
    assert outputs['category_head'].shape == (2, 26)
    assert outputs['dimension_head'].shape == (2, 3)
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss_category', 'loss_dimension'}
    model.eval()
    with torch.no_grad():
        feats = model.backbone(inputs)
        scaled = (samples['dimensions'] - 1) / 9
        expected = 2.0 * (model.dimension_head(feats) - scaled).abs().mean()
        losses = model(inputs, samples, mode='loss')
    assert losses['loss_dimension'].item() == pytest.approx(
        expected.item())
    _, log_vars = model.parse_losses(losses)
    assert log_vars['loss'].item() == pytest.approx(
        sum(v.item() for v in losses.values()))


def test_predictions_hold_probabilities_ratings_and_truth(default_scope):
    model = build(category_head=CATEGORY, dimension_head=DIMENSION).eval()
    inputs, samples = batch()
    with torch.no_grad():
        results = model(inputs, samples, mode='predict')
        raw = model(inputs)
    assert len(results) == 2
    first = results[1]
    assert set(first) == {'category_scores', 'categories', 'dimension_scores',
                          'dimensions', 'scores', 'index', 'sample_name'}
    assert torch.allclose(first['category_scores'],
                          raw['category_head'][1].sigmoid())
    assert torch.allclose(first['dimension_scores'],
                          1 + 9 * raw['dimension_head'][1])
    assert torch.equal(first['scores'], first['category_scores'])
    assert torch.equal(first['dimensions'], samples['dimensions'][1])
    assert first['index'] == 1 and first['sample_name'] == 's1'


def test_single_head_models(default_scope):
    inputs, samples = batch()
    categorical = build(category_head=CATEGORY)
    assert set(categorical(inputs, samples, mode='loss')) == {
        'loss_category'}
    continuous = build(dimension_head=DIMENSION).eval()
    with torch.no_grad():
        result = continuous(inputs, samples, mode='predict')[0]
    assert 'category_scores' not in result
    assert torch.equal(result['scores'], result['dimension_scores'])


def test_unlabelled_predict_and_clear_errors(default_scope):
    model = build(category_head=CATEGORY).eval()
    inputs, _ = batch()
    with torch.no_grad():
        result = model(inputs, mode='predict')[0]
    assert set(result) == {'category_scores', 'scores'}
    with pytest.raises(ValueError, match='needs data_samples with a '
                       '"categories" tensor'):
        model(inputs, dict(dimensions=torch.ones(2, 3)), mode='loss')
    with pytest.raises(ValueError, match='unknown forward mode'):
        model(inputs, mode='logits')
    with pytest.raises(ValueError, match='needs a category_head, a '
                       'dimension_head or both'):
        build()
