"""AP, ROC AUC, R^2 in numpy and the BOLD emotion metrics built on them."""
import math
import warnings

import numpy as np
import pytest
import torch

from stgcn_reg.evaluation.metrics.emotion import (
    EmotionCategoryMetric,
    EmotionDimensionMetric,
    EmotionMetric,
    emotion_recognition_score,
)
from stgcn_reg.evaluation.metrics.ranking import (
    average_precision,
    column_means,
    r2_score,
    roc_auc,
)
from stgcn_reg.registry import METRICS


def test_average_precision_by_hand():
    # ranks: + - + -  -> P@1 = 1 (R 0.5), P@3 = 2/3 (R 1)
    scores, targets = [0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]
    assert average_precision(scores, targets) == pytest.approx(
        0.5 * 1 + 0.5 * 2 / 3)
    assert average_precision([0.1, 0.2, 0.3], [0, 0, 1]) == 1.0
    assert average_precision([0.3, 0.2, 0.1], [0, 0, 1]) == \
        pytest.approx(1 / 3)


def test_ties_enter_together():
    # the tied pair (one +, one -) gives P 0.5 at R 0.5, then P 2/3 at R 1
    assert average_precision([0.5, 0.5, 0.2], [1, 0, 1]) == pytest.approx(
        0.5 * 0.5 + 0.5 * 2 / 3)
    # positive 0.5 vs negative 0.5 counts 1/2, 0.2 vs 0.5 counts 0
    assert roc_auc([0.5, 0.5, 0.2], [1, 0, 1]) == pytest.approx(0.25)
    assert roc_auc([0.7] * 4, [1, 0, 1, 0]) == pytest.approx(0.5)


def test_roc_auc_by_hand():
    # pairs (pos, neg): (0.9,0.8) (0.9,0.6) (0.7,0.6) ordered right,
    # (0.7,0.8) wrong -> 3/4
    assert roc_auc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]) == pytest.approx(0.75)
    assert roc_auc([0.1, 0.9], [1, 0]) == 0.0


def test_undefined_values_are_nan():
    assert math.isnan(average_precision([0.1, 0.2], [0, 0]))
    assert math.isnan(roc_auc([0.1, 0.2], [1, 1]))
    assert math.isnan(r2_score([1.0, 2.0], [3.0, 3.0]))


def test_r2_by_hand():
    # SS_res = 1, SS_tot = 2
    assert r2_score([1, 2, 2], [1, 2, 3]) == pytest.approx(0.5)
    assert r2_score([2, 2, 2], [1, 2, 3]) == pytest.approx(0.0)
    assert r2_score([3, 2, 1], [1, 2, 3]) == pytest.approx(-3.0)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match='0/1'):
        average_precision([0.1, 0.2], [0.4, 1])
    with pytest.raises(ValueError, match='differ in length'):
        roc_auc([0.1, 0.2], [1])
    with pytest.raises(ValueError, match='NaN or inf'):
        roc_auc([np.nan, 0.2], [1, 0])
    with pytest.raises(ValueError, match=r'one \(N, K\) shape'):
        column_means(r2_score, np.zeros((2, 3)), np.zeros((2, 2)))


# 4 samples, 3 categories; category 'c' has no positive (scores < 0.5)
SCORES = np.array([[0.9, 0.2, 0.5], [0.8, 0.6, 0.1],
                   [0.7, 0.4, 0.3], [0.6, 0.7, 0.2]])
TRUTH = np.array([[0.8, 0.0, 0.2], [0.0, 0.6, 0.4],
                  [1.0, 0.5, 0.0], [0.2, 0.2, 0.4]])


def test_category_metric_skips_and_warns_on_a_category_without_positives():
    # a: targets 1 0 1 0 -> AP 5/6, AUC 3/4
    # b: targets 0 1 1 0 with scores .2 .6 .4 .7 -> ranks - + + -... by
    #    score .7(-) .6(+) .4(+) .2(-): AP = (1/2)(1/2) + (1/2)(2/3);
    #    AUC: (.6 > .2) (.4 > .2) right, (.6 < .7) (.4 < .7) wrong -> 1/2
    with pytest.warns(UserWarning) as record:
        metrics = EmotionCategoryMetric.calculate(
            SCORES, TRUTH, 0.5, names=['a', 'b', 'c'], per_category=True)
    assert [str(w.message) for w in record] == [
        'mAP: skipped 1 of 3 columns (no positive sample): c',
        'mRA: skipped 1 of 3 columns (no positive or no negative sample): c']
    ap_b = 0.25 + 1 / 3
    assert metrics['mAP'] == pytest.approx((5 / 6 + ap_b) / 2)
    assert metrics['mRA'] == pytest.approx((0.75 + 0.5) / 2)
    assert metrics['AP_a'] == pytest.approx(5 / 6)
    assert math.isnan(metrics['AP_c']) and math.isnan(metrics['AUC_c'])


def test_threshold_decides_positives():
    # at 0.4 category c has positives in rows 1 and 3
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        metrics = EmotionCategoryMetric.calculate(SCORES, TRUTH, 0.4)
    assert not math.isnan(metrics['mAP'])


def test_no_defined_category_gives_nan_with_a_warning():
    with pytest.warns(UserWarning) as record:
        metrics = EmotionCategoryMetric.calculate(
            np.ones((3, 2)), np.zeros((3, 2)))
    messages = [str(w.message) for w in record]
    assert 'mAP: no column is defined (no positive sample); the mean is ' \
        'NaN' in messages and len(messages) == 4
    assert math.isnan(metrics['mAP']) and math.isnan(metrics['mRA'])


def test_dimension_metric_names_and_skips():
    preds = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, 2.0], [2.0, 5.0, 3.0]])
    truth = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, 2.0], [3.0, 5.0, 3.0]])
    with pytest.warns(UserWarning, match=r'constant ground truth\): '
                      'Arousal'):
        metrics = EmotionDimensionMetric.calculate(
            preds, truth, ['Valence', 'Arousal', 'Dominance'])
    # valence: SS_res 1, SS_tot 2 -> 0.5; dominance exact -> 1
    assert metrics['R2_Valence'] == pytest.approx(0.5)
    assert metrics['R2_Dominance'] == pytest.approx(1.0)
    assert metrics['mR2'] == pytest.approx(0.75)


def test_ers_combines_the_three():
    assert emotion_recognition_score(0.2, 0.6, 0.1) == pytest.approx(
        (0.1 + 0.4) / 2)


def samples(num=6, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0, 1, (num, 26))
    truth[:, 0] = [1, 0] * (num // 2)
    values = rng.uniform(1, 10, (num, 3))
    return [dict(category_scores=torch.tensor(truth[i] + 0.1),
                 categories=torch.tensor(truth[i]),
                 dimension_scores=torch.tensor(values[i]),
                 dimensions=torch.tensor(values[i]), scores=None)
            for i in range(num)]


def test_registered_metrics_through_process_and_evaluate(default_scope):
    metric = METRICS.build(dict(type='EmotionMetric', threshold=0.5))
    assert isinstance(metric, EmotionMetric)
    batch = samples()
    metric.process({}, batch[:4])
    metric.process({}, batch[4:])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # random columns may lack positives
        results = metric.evaluate(6)
    # predictions rank the truth perfectly and ratings are exact
    assert results['emotion/mAP'] == pytest.approx(1.0)
    assert results['emotion/mRA'] == pytest.approx(1.0)
    assert results['emotion/mR2'] == pytest.approx(1.0)
    assert results['emotion/ERS'] == pytest.approx(1.0)
    assert set(results) >= {'emotion/R2_Valence', 'emotion/R2_Dominance'}
    category = METRICS.build(dict(type='EmotionCategoryMetric'))
    dimension = METRICS.build(dict(type='EmotionDimensionMetric'))
    for sample_metric in (category, dimension):
        sample_metric.process({}, batch)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert set(category.evaluate(6)) == {'emotion/mAP', 'emotion/mRA'}
    assert dimension.evaluate(6)['emotion/mR2'] == pytest.approx(1.0)


def test_missing_predictions_are_named(default_scope):
    metric = METRICS.build(dict(type='EmotionMetric'))
    sample = samples()[0]
    del sample['dimension_scores']
    with pytest.raises(ValueError, match=r"needs \['dimension_scores'\]"):
        metric.process({}, [sample])


def test_matches_scikit_learn():
    sklearn_metrics = pytest.importorskip('sklearn.metrics')
    rng = np.random.default_rng(1)
    for _ in range(20):
        targets = rng.integers(0, 2, 30)
        targets[:2] = [0, 1]
        scores = rng.integers(0, 6, 30) / 5  # many ties
        assert average_precision(scores, targets) == pytest.approx(
            sklearn_metrics.average_precision_score(targets, scores))
        assert roc_auc(scores, targets) == pytest.approx(
            sklearn_metrics.roc_auc_score(targets, scores))
        preds, truth = rng.normal(size=30), rng.normal(size=30)
        assert r2_score(preds, truth) == pytest.approx(
            sklearn_metrics.r2_score(truth, preds))
