"""tools/confusion_matrix.py on a hand-made score dump."""
import pickle

import cv2
import numpy as np
from tool_runner import run_tool, tool

from stgcn_reg.utils import write_pickle_atomic

LABELS = [0, 0, 0, 1, 1, 2, 2, 2, -1]
PREDICTED = [0, 1, 1, 1, 1, 0, 2, 1, 2]


def write_dump(path: str) -> None:
    scores = np.full((len(LABELS), 3), -1.0)
    scores[np.arange(len(LABELS)), PREDICTED] = 2.0
    write_pickle_atomic(
        dict(sample_names=[f's{i}' for i in range(len(LABELS))],
             scores=scores, labels=np.array(LABELS)), path)


def test_counts_pairs_and_heat_map(tmp_path):
    dump = str(tmp_path / 'scores.pkl')
    write_dump(dump)
    (tmp_path / 'names.txt').write_text('walk\nrun\nsit\n')
    output = run_tool(tool('confusion_matrix.py'), dump, '--out',
                      str(tmp_path / 'cm.png'), '--label-names',
                      str(tmp_path / 'names.txt'), '--top', '2',
                      cwd=str(tmp_path))
    assert '8 samples, top-1 50.00% (4 correct)' in output
    pairs = ['0 walk -> 1 run: 2 (66.7% of 0)',
             '2 sit -> 0 walk: 1 (33.3% of 2)']
    assert '\n'.join(pairs) in output
    assert (tmp_path / 'cm_pairs.txt').read_text().splitlines() == pairs
    counts = np.loadtxt(tmp_path / 'cm.csv', delimiter=',', dtype=int)
    np.testing.assert_array_equal(counts, [[1, 2, 0], [0, 2, 0], [1, 1, 1]])
    assert cv2.imread(str(tmp_path / 'cm.png')) is not None


def test_bad_inputs_end_with_a_message(tmp_path):
    dump = str(tmp_path / 'scores.pkl')
    write_dump(dump)
    (tmp_path / 'names.txt').write_text('walk\nrun\n')
    output = run_tool(tool('confusion_matrix.py'), dump, '--label-names',
                      str(tmp_path / 'names.txt'), cwd=str(tmp_path),
                      expect_rc=1)
    assert 'has 2 names but the model has 3 classes' in output
    with open(tmp_path / 'other.pkl', 'wb') as file:
        pickle.dump(dict(scores=[1]), file)
    output = run_tool(tool('confusion_matrix.py'), 'other.pkl',
                      cwd=str(tmp_path), expect_rc=1)
    assert 'is not a score dump' in output and 'Traceback' not in output
