"""Confusion counts and most-confused pairs of a hand-made score dump."""
import cv2
import numpy as np

from stgcn_reg.visualization import (
    confusion_matrix,
    dump_confusion_matrix,
    format_pairs,
    most_confused_pairs,
    plot_confusion_matrix,
)

LABELS = [0, 0, 0, 1, 1, 2, 2, 2, -1]
PREDICTED = [0, 1, 1, 1, 1, 0, 2, 1, 2]
EXPECTED = [[1, 2, 0], [0, 2, 0], [1, 1, 1]]


def hand_made_dump() -> dict:
    scores = np.full((len(LABELS), 3), 0.1)
    scores[np.arange(len(LABELS)), PREDICTED] = 0.8
    return dict(sample_names=[f's{i}' for i in range(len(LABELS))],
                scores=scores, labels=np.array(LABELS))


def test_counts_rows_true_columns_predicted_unknown_left_out():
    np.testing.assert_array_equal(confusion_matrix(LABELS, PREDICTED, 3),
                                  EXPECTED)
    np.testing.assert_array_equal(dump_confusion_matrix(hand_made_dump()),
                                  EXPECTED)


def test_most_confused_pairs_in_order():
    pairs = most_confused_pairs(np.array(EXPECTED), top=5)
    assert pairs == [(0, 1, 2, 2 / 3), (2, 0, 1, 1 / 3), (2, 1, 1, 1 / 3)]
    assert most_confused_pairs(np.array(EXPECTED), top=1) == pairs[:1]
    assert most_confused_pairs(np.eye(3, dtype=int)) == []


def test_pairs_as_text():
    pairs = most_confused_pairs(np.array(EXPECTED), top=2)
    assert format_pairs(pairs, ['walk', 'run', 'sit']).splitlines() == [
        '0 walk -> 1 run: 2 (66.7% of 0)', '2 sit -> 0 walk: 1 (33.3% of 2)'
    ]
    assert format_pairs([]).startswith('no confusions')


def test_heat_map_png(tmp_path):
    out = str(tmp_path / 'cm.png')
    plot_confusion_matrix(np.array(EXPECTED), out, ['walk', 'run', 'sit'])
    image = cv2.imread(out)
    assert image is not None and min(image.shape[:2]) > 200
    # many classes: no names or counts, still a picture
    big = np.random.default_rng(0).integers(0, 5, (80, 80))
    plot_confusion_matrix(big, str(tmp_path / 'big.png'))
    assert cv2.imread(str(tmp_path / 'big.png')) is not None
