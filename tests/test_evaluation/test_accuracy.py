"""Top-k accuracy, mean class accuracy and mean loss."""
import numpy as np
import pytest
import torch

from stgcn_reg.evaluation import Accuracy

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


def test_ties_do_not_count_as_correct_rank_above():
    metrics = Accuracy.calculate(np.array([[1.0, 1.0]]), np.array([1]),
                                 topk=(1, ))
    assert metrics['top1'] == 100.0


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
