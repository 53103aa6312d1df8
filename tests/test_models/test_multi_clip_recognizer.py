"""SkeletonRecognizer on (N, num_clips, C, T, V, M): clip scores averaged."""
import pickle

import pytest
import torch
import torch.nn.functional as F

from stgcn_reg.evaluation import Accuracy, DumpScores
from stgcn_reg.registry import MODELS


def build(average_clips='prob', **kwargs):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(type='Graph', layout='coco'),
            channels=(8, 16),
            strides=(1, 2)),
        cls_head=dict(type='ClsHead', num_classes=5, in_channels=16),
        average_clips=average_clips, **kwargs)).eval()


@pytest.fixture
def clips():
    return torch.randn(3, 4, 3, 8, 17, 2)  # N=3 samples of 4 clips


def per_clip_logits(model, clips):
    """(N, num_clips, K) logits, each clip run as its own batch item."""
    with torch.no_grad():
        return torch.stack([model(clips[:, i]) for i in range(
            clips.shape[1])], dim=1)


def test_prob_average_is_log_mean_softmax(default_scope, clips):
    model = build('prob')
    with torch.no_grad():
        scores = model(clips)
    expected = per_clip_logits(model, clips).softmax(-1).mean(1)
    assert scores.shape == (3, 5)
    torch.testing.assert_close(scores.exp(), expected)
    torch.testing.assert_close(scores.softmax(-1), expected)


def test_score_average_is_mean_logits(default_scope, clips):
    model = build('score')
    with torch.no_grad():
        scores = model(clips)
    torch.testing.assert_close(scores, per_clip_logits(model, clips).mean(1))


def test_one_clip_equals_the_plain_input(default_scope, clips):
    model = build('score')
    with torch.no_grad():
        single = model(clips[:, 0])
        stacked = model(clips[:, :1])
    torch.testing.assert_close(stacked, single)


def test_loss_mode_trains_on_every_clip(default_scope, clips):
    model = build()
    labels = torch.tensor([0, 4, 2])
    with torch.no_grad():
        losses = model(clips, dict(label=labels), mode='loss')
    logits = per_clip_logits(model, clips)  # (3, 4, 5)
    expected = F.cross_entropy(logits.flatten(0, 1),
                               labels.repeat_interleave(4))
    torch.testing.assert_close(losses['loss'], expected)


def test_train_clips_first_trains_on_each_samples_first_clip(
        default_scope, clips):
    model = build(train_clips='first')
    labels = torch.tensor([0, 4, 2])
    with torch.no_grad():
        losses = model(clips, dict(label=labels), mode='loss')
        expected = F.cross_entropy(model(clips[:, 0]), labels)
    torch.testing.assert_close(losses['loss'], expected)


def test_train_clips_single_wants_one_clip_as_pyskl(default_scope, clips):
    model = build(train_clips='single')
    labels = torch.tensor([0, 4, 2])
    with torch.no_grad():
        single = model(clips[:, 0], dict(label=labels), mode='loss')
        stacked = model(clips[:, :1], dict(label=labels), mode='loss')
        expected = F.cross_entropy(model(clips[:, 0]), labels)
        with pytest.raises(ValueError, match=r"train_clips='single'.*"
                           r'num_clips=4'):
            model(clips, dict(label=labels), mode='loss')
        # testing still averages every clip
        scores = model(clips)
    torch.testing.assert_close(single['loss'], expected)
    torch.testing.assert_close(stacked['loss'], expected)
    torch.testing.assert_close(
        scores.exp(), per_clip_logits(model, clips).softmax(-1).mean(1))


def test_predict_feeds_accuracy_and_dump(default_scope, clips, tmp_path):
    model = build('prob')
    labels = torch.tensor([1, 3, 0])
    samples = dict(label=labels, index=torch.tensor([0, 1, 2]),
                   sample_name=['a', 'b', 'c'])
    with torch.no_grad():
        results = model(clips, samples, mode='predict')
    mean_prob = per_clip_logits(model, clips).softmax(-1).mean(1)
    for result, prob, label in zip(results, mean_prob, labels):
        assert result['scores'].shape == (5, )
        # the evaluation loss is the NLL of the averaged probability
        assert result['loss'] == pytest.approx(
            -float(prob[label].log()), rel=1e-5)

    accuracy = Accuracy(topk=(1, ))
    accuracy.process({}, results)
    metrics = accuracy.compute_metrics(accuracy.results)
    expected_top1 = float(
        (mean_prob.argmax(-1) == labels).float().mean()) * 100
    assert metrics['top1'] == pytest.approx(expected_top1)
    assert metrics['mean_loss'] == pytest.approx(
        -float(mean_prob[torch.arange(3), labels].log().mean()), rel=1e-5)

    out_file = str(tmp_path / 'scores.pkl')
    dump = DumpScores(out_file)
    dump.process({}, results)
    dump.compute_metrics(dump.results)
    with open(out_file, 'rb') as file:
        payload = pickle.load(file)
    assert payload['sample_names'] == ['a', 'b', 'c']
    torch.testing.assert_close(
        torch.from_numpy(payload['scores']).softmax(-1), mean_prob)


def test_unknown_average_is_refused(default_scope):
    with pytest.raises(ValueError, match='average_clips'):
        build('max')
    with pytest.raises(ValueError, match='train_clips must be one of'):
        build(train_clips='last')
