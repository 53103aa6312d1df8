"""tools/ensemble.py on score dumps written in a temp folder."""

import pickle

import numpy as np
from tool_runner import run_tool, tool

from stgcn_reg.evaluation import load_score_dump

NAMES = ['S001A001', 'S001A002', 'S001A003', 'S001A004']
LABELS = [0, 1, 2, 1]
# joint: samples 1 and 3 right; bone: 0 and 2 right; sum: all right
JOINT = [[2, 3, 0], [0, 5, 1], [1, 0, 0.5], [0, 2, 0]]
BONE = [[3, 0, 0], [4, 3, 0], [0, 0, 2], [1, 0, 0]]


def write(folder, name, scores, names=NAMES):
    path = str(folder / name)
    with open(path, 'wb') as file:
        pickle.dump(
            dict(
                sample_names=list(names),
                scores=np.array(scores, dtype=np.float32),
                labels=np.array(LABELS),
            ),
            file,
        )
    return path


def test_fuses_prints_and_writes(tmp_path):
    joint = write(tmp_path, 'joint.pkl', JOINT)
    bone = write(tmp_path, 'bone.pkl', BONE)
    out = str(tmp_path / 'fused.pkl')
    output = run_tool(
        tool('ensemble.py'),
        joint,
        bone,
        '--weights',
        '1',
        '1',
        '--topk',
        '1',
        '2',
        '--out',
        out,
        cwd=str(tmp_path),
    )
    assert '4 samples, 3 classes, normalize=none' in output
    assert f'{joint} (weight 1): top1 50.00' in output
    assert f'{bone} (weight 1): top1 50.00' in output
    assert '                        top1: 100.00' in output
    assert '                        top2: 100.00' in output
    assert '         mean_class_accuracy: 100.00' in output
    assert 'top5' not in output
    fused = load_score_dump(out)
    assert fused['sample_names'] == NAMES
    assert fused['labels'].tolist() == LABELS
    np.testing.assert_allclose(fused['scores'], np.add(JOINT, BONE))


def test_mismatches_are_errors_with_status_2(tmp_path):
    joint = write(tmp_path, 'joint.pkl', JOINT)
    shuffled = write(tmp_path, 'bone.pkl', BONE, names=NAMES[::-1])
    output = run_tool(
        tool('ensemble.py'), joint, shuffled, cwd=str(tmp_path), expect_rc=2
    )
    assert output.startswith(
        f"error: sample 0 differs: {joint} has 'S001A001' but {shuffled} "
        "has 'S001A004' (the same samples in another order"
    )
    assert 'Traceback' not in output
    output = run_tool(
        tool('ensemble.py'),
        joint,
        joint,
        '--weights',
        '1',
        cwd=str(tmp_path),
        expect_rc=2,
    )
    assert output.startswith('error: got 1 weights for 2 score dumps')
