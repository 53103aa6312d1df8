"""Score fusion of ``tools/test.py --dump`` pickles."""

import os
import pickle

import numpy as np
import pytest
import torch

from stgcn_reg.evaluation import (
    DumpScores,
    fuse_scores,
    fusion_accuracy,
    load_score_dump,
)
from stgcn_reg.evaluation.score_fusion import softmax
from stgcn_reg.utils import UnsafePickleError

NAMES = ['S001A001', 'S001A002', 'S001A003']
LABELS = [0, 1, 2]
# model A gets only sample 1 right, model B samples 0 and 2; their sum
# gets all three right
SCORES_A = [[2.0, 3.0, 0.0], [0.0, 5.0, 1.0], [1.0, 0.0, 0.5]]
SCORES_B = [[3.0, 0.0, 0.0], [4.0, 3.0, 0.0], [0.0, 0.0, 2.0]]


def dump(path, obj):
    with open(path, 'wb') as file:
        pickle.dump(obj, file)
    return str(path)


def score_dump(scores, names=NAMES, labels=LABELS):
    return dict(
        sample_names=list(names),
        scores=np.array(scores, dtype=np.float32),
        labels=np.array(labels),
    )


def write_dump(path, scores, names=NAMES, labels=LABELS):
    return dump(path, score_dump(scores, names, labels))


@pytest.fixture
def dumps(tmp_path):
    return [
        load_score_dump(write_dump(tmp_path / 'a.pkl', SCORES_A)),
        load_score_dump(write_dump(tmp_path / 'b.pkl', SCORES_B)),
    ]


def test_load_checks_and_normalizes_types(tmp_path):
    loaded = load_score_dump(write_dump(tmp_path / 'a.pkl', SCORES_A))
    assert loaded['sample_names'] == NAMES
    assert loaded['scores'].dtype == np.float64
    np.testing.assert_array_equal(loaded['scores'], SCORES_A)
    assert loaded['labels'].dtype == np.int64
    assert loaded['labels'].tolist() == LABELS


def test_load_reads_what_dump_scores_writes(tmp_path):
    out_file = str(tmp_path / 'scores.pkl')
    metric = DumpScores(out_file)
    metric.process(
        None,
        [
            dict(index=i, sample_name=name, scores=torch.tensor(row), label=y)
            for i, (name, row, y) in enumerate(zip(NAMES, SCORES_A, LABELS))
        ],
    )
    metric.evaluate(3)
    loaded = load_score_dump(out_file)
    assert loaded['sample_names'] == NAMES
    np.testing.assert_allclose(loaded['scores'], SCORES_A)


def test_fusion_changes_the_answer(dumps):
    scores, labels, names = fuse_scores(dumps, [1, 1])
    np.testing.assert_array_equal(
        scores, np.add(SCORES_A, SCORES_B, dtype=np.float64)
    )
    assert labels.tolist() == LABELS and names == NAMES
    a = fusion_accuracy(dumps[0]['scores'], labels, (1,))
    b = fusion_accuracy(dumps[1]['scores'], labels, (1,))
    fused = fusion_accuracy(scores, labels, (1, 2))
    assert a['top1'] == pytest.approx(100 / 3)
    assert b['top1'] == pytest.approx(200 / 3)
    assert fused == dict(top1=100.0, top2=100.0, mean_class_accuracy=100.0)


def test_weights(dumps):
    scores, labels, _ = fuse_scores(dumps, [5, 1])
    np.testing.assert_allclose(
        scores, 5 * np.array(SCORES_A) + np.array(SCORES_B)
    )
    # model A dominates: samples 0 and 2 are wrong again
    assert fusion_accuracy(scores, labels, (1,))['top1'] == pytest.approx(
        100 / 3
    )
    only_b, _, _ = fuse_scores(dumps, [0, 1])
    np.testing.assert_array_equal(only_b, SCORES_B)
    default, _, _ = fuse_scores(dumps)
    np.testing.assert_array_equal(default, fuse_scores(dumps, [1, 1])[0])


def test_softmax_normalization(dumps):
    dumps[0]['scores'] = dumps[0]['scores'] * 1000  # huge logits
    scores, _, _ = fuse_scores(dumps, [2, 1], normalize='softmax')
    expected = 2 * softmax(dumps[0]['scores']) + softmax(dumps[1]['scores'])
    np.testing.assert_allclose(scores, expected)
    assert np.all(np.isfinite(scores))
    np.testing.assert_allclose(scores.sum(axis=1), 3.0)
    raw, _, _ = fuse_scores(dumps, [2, 1])
    assert not np.allclose(raw, scores)


def test_mismatched_names_are_refused_at_the_first_difference(tmp_path):
    a = load_score_dump(write_dump(tmp_path / 'a.pkl', SCORES_A))
    names = ['S001A001', 'S001A009', 'S001A003']
    b = load_score_dump(write_dump(tmp_path / 'b.pkl', SCORES_B, names))
    with pytest.raises(
        ValueError,
        match=r"sample 1 differs: a.pkl has 'S001A002' but b.pkl has "
        r"'S001A009'$",
    ):
        fuse_scores([a, b], [1, 1], sources=['a.pkl', 'b.pkl'])


def test_other_order_is_refused_with_a_hint(dumps):
    order = [2, 0, 1]
    dumps[1]['sample_names'] = [NAMES[i] for i in order]
    dumps[1]['scores'] = dumps[1]['scores'][order]
    dumps[1]['labels'] = dumps[1]['labels'][order]
    with pytest.raises(
        ValueError,
        match=r"sample 0 differs: dump 0 has 'S001A001' but dump 1 has "
        r"'S001A003' \(the same samples in another order",
    ):
        fuse_scores(dumps, [1, 1])


def test_different_lengths_are_refused(dumps):
    dumps[1] = score_dump(SCORES_B[:2], NAMES[:2], LABELS[:2])
    with pytest.raises(
        ValueError, match='b.pkl has 2 samples but a.pkl has 3'
    ):
        fuse_scores(dumps, [1, 1], sources=['a.pkl', 'b.pkl'])


def test_different_class_counts_are_refused(dumps):
    dumps[1]['scores'] = np.zeros((3, 4))
    with pytest.raises(ValueError, match='dump 1 has 4 classes but dump 0 '):
        fuse_scores(dumps, [1, 1])


def test_different_labels_are_refused(dumps):
    dumps[1]['labels'] = np.array([0, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"label of sample 2 \('S001A003'\) differs: dump 0 has 2 but "
        'dump 1 has 1',
    ):
        fuse_scores(dumps, [1, 1])


@pytest.mark.parametrize(
    'weights, match',
    [
        ([1], 'got 1 weights for 2 score dumps'),
        ([1, -1], 'finite and >= 0'),
        ([0, 0], 'at least one positive'),
        ([1, float('nan')], 'finite'),
    ],
)
def test_bad_weights(dumps, weights, match):
    with pytest.raises(ValueError, match=match):
        fuse_scores(dumps, weights)


def test_bad_normalize_and_no_dumps(dumps):
    with pytest.raises(ValueError, match='normalize must be one of'):
        fuse_scores(dumps, normalize='l2')
    with pytest.raises(ValueError, match='at least one score dump'):
        fuse_scores([])


@pytest.mark.parametrize(
    'obj, match',
    [
        ([NAMES, SCORES_A, LABELS], 'got a list'),
        (dict(sample_names=NAMES, scores=SCORES_A), r"missing keys \['labels"),
        (
            dict(sample_names=NAMES, scores=np.zeros(3), labels=LABELS),
            r'scores must be \(N, K\)',
        ),
        (
            dict(sample_names=[1, 2, 3], scores=SCORES_A, labels=LABELS),
            'sample_names must be a list of strings',
        ),
        (
            dict(sample_names=NAMES, scores=SCORES_A, labels=[0.0, 1.0, 2.0]),
            'labels must be a 1-D integer array',
        ),
        (
            dict(sample_names=NAMES[:2], scores=SCORES_A, labels=LABELS),
            '2 sample_names, 3 rows of scores and 3 labels',
        ),
        (
            dict(sample_names=NAMES, scores=SCORES_A, labels=[0, 1, 3]),
            r"label 3 of sample 2 \('S001A003'\) is not a class index",
        ),
        (
            dict(
                sample_names=NAMES,
                scores=np.full((3, 3), np.nan),
                labels=LABELS,
            ),
            'NaN',
        ),
    ],
)
def test_wrong_structure_is_a_clear_error(tmp_path, obj, match):
    path = dump(tmp_path / 'bad.pkl', obj)
    with pytest.raises(
        ValueError, match=f'bad.pkl.*not a score dump.*{match}'
    ):
        load_score_dump(path)


def test_unlabeled_samples_load_but_have_no_accuracy(tmp_path):
    path = write_dump(tmp_path / 'test.pkl', SCORES_A, labels=[-1, -1, -1])
    loaded = load_score_dump(path)
    scores, labels, _ = fuse_scores([loaded])
    with pytest.raises(ValueError, match='3 samples have no ground-truth'):
        fusion_accuracy(scores, labels)
    with pytest.raises(ValueError, match='topk'):
        fusion_accuracy(scores, np.array(LABELS), (0,))


class Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}',)


def test_malicious_pickle_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = dump(
        tmp_path / 'evil.pkl', dict(score_dump(SCORES_A), x=Exploit(marker))
    )
    with pytest.raises(UnsafePickleError, match='evil.pkl.*system'):
        load_score_dump(path)
    assert not marker.exists()


def test_not_a_pickle_names_the_file(tmp_path):
    path = tmp_path / 'scores.pkl'
    path.write_text('top1: 80\n')
    with pytest.raises(ValueError, match='scores.pkl'):
        load_score_dump(str(path))
