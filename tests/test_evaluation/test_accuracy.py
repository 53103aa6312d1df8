"""Top-k accuracy, mean class accuracy and mean loss."""
import numpy as np
import pytest
import torch

from stgcn_reg.evaluation import Accuracy, fusion_accuracy
from stgcn_reg.evaluation.metrics import label_ranks, top_classes

SCORES = np.array([
    [0.9, 0.05, 0.05],  # label 0: top-1
    [0.6, 0.3, 0.1],  # label 1: rank 2
    [0.5, 0.4, 0.1],  # label 2: rank 3
    [0.1, 0.2, 0.7],  # label 2: top-1
])
LABELS = np.array([0, 1, 2, 2])


def test_calculate_topk_and_mean_class():
    metrics = Accuracy.calculate(SCORES, LABELS, topk=(1, 2, 3))
    assert metrics['top1'] == pytest.approx(50.0)
    assert metrics['top2'] == pytest.approx(75.0)
    assert metrics['top3'] == pytest.approx(100.0)
    # class 0: 1/1, class 1: 0/1, class 2: 1/2
    assert metrics['mean_class_accuracy'] == pytest.approx(50.0)


def test_ties_rank_lower_class_index_first():
    metrics = Accuracy.calculate(np.array([[1.0, 1.0]] * 2),
                                 np.array([0, 1]), topk=(1, 2))
    assert metrics['top1'] == 50.0  # only class 0 wins the tie
    assert metrics['top2'] == 100.0


def test_constant_model_scores_chance():
    # identical scores for all 8 classes of 8 clips, one clip per class
    metrics = Accuracy.calculate(np.zeros((8, 8)), np.arange(8), (1, 5))
    assert metrics['top1'] == 12.5
    assert metrics['top5'] == 62.5
    assert metrics['mean_class_accuracy'] == 12.5


# a collapsed model: the same scores for every clip, classes 0-3 tied at
# the top and 4-6 tied next; counting ties as hits gave 50% / 87.5%
COLLAPSED = np.tile([0.2, 0.2, 0.2, 0.2, 0.05, 0.05, 0.05, 0.0], (8, 1))


def test_collapsed_model_ties_are_not_hits():
    metrics = Accuracy.calculate(COLLAPSED, np.arange(8), (1, 5))
    assert metrics['top1'] == 12.5
    assert metrics['top5'] == 62.5


def test_ranks_follow_a_stable_sort():
    order = np.argsort(-COLLAPSED[0], kind='stable').tolist()
    assert top_classes(COLLAPSED[0], 8).tolist() == order
    assert label_ranks(COLLAPSED, np.arange(8)).tolist() == [
        order.index(label) for label in range(8)
    ]


def test_same_numbers_as_the_original_tool():
    """The original tool's hit test, ``l in scores.argsort()[-k:]``."""
    rank = COLLAPSED.argsort()
    for k in (1, 5):
        hits = [label in rank[label, -k:] for label in range(8)]
        ours = Accuracy.calculate(COLLAPSED, np.arange(8), (k, ))
        assert ours[f'top{k}'] == 100 * np.mean(hits)


def test_nan_ranks_last():
    scores = np.array([[np.nan, 0.0, -1.0]] * 3)
    assert label_ranks(scores, np.array([0, 1, 2])).tolist() == [2, 0, 1]
    assert top_classes(scores[0], 3).tolist() == [1, 2, 0]


def test_fusion_uses_the_same_rule():
    assert fusion_accuracy(COLLAPSED, np.arange(8), (1, 5)) == dict(
        top1=12.5, top5=62.5, mean_class_accuracy=12.5)


def test_process_and_compute_with_loss():
    metric = Accuracy(topk=(1, 5))
    samples = [
        dict(scores=torch.tensor(s), label=int(label), loss=float(i))
        for i, (s, label) in enumerate(zip(SCORES, LABELS))
    ]
    metric.process(None, samples)
    results = metric.evaluate(len(samples))
    assert results['acc/top1'] == pytest.approx(50.0)
    assert results['acc/top5'] == pytest.approx(100.0)
    assert results['acc/mean_loss'] == pytest.approx(1.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match='topk'):
        Accuracy(topk=(0, ))
    with pytest.raises(ValueError, match='labels'):
        Accuracy.calculate(SCORES, LABELS[:2])
    with pytest.raises(ValueError, match='labels'):
        Accuracy().process(None, [dict(scores=torch.zeros(3))])
