"""The augmentation benchmark compares equal outputs and measures both."""
import json

import numpy as np
import pytest
from tool_runner import run_tool, tool

from benchmarks.augment_benchmark import (
    format_augment_report,
    kinetics_like,
    run_augment_benchmark,
)


def test_kinetics_like_samples():
    data = kinetics_like(6, seed=1)
    assert data.shape == (6, 3, 300, 18, 2) and data.dtype == np.float32
    for sample in data:
        valid = np.any(sample != 0, axis=(0, 2, 3))
        frames = int(valid.sum())
        assert 30 <= frames <= 300 and valid[:frames].all()


def test_run_compares_equal_outputs(tmp_path):
    results = run_augment_benchmark(8, repeats=2, tmp_dir=str(tmp_path))
    for name in ('transforms', 'feeder'):
        entry = results[name]
        assert entry['outputs_equal'] is True
        for pipeline in ('vectorised', 'per_frame_loop'):
            assert entry[pipeline]['samples_per_s'] > 0
        assert entry['speedup'] > 0
    assert '| feeder |' in format_augment_report(results)
    assert list(tmp_path.iterdir()) == []  # scratch data removed


@pytest.mark.slow
def test_augment_tool(tmp_path):
    out = tmp_path / 'aug.json'
    output = run_tool(tool('benchmark.py'), 'augment', '--samples', '4',
                      '--repeats', '1', '--out', str(out),
                      cwd=str(tmp_path))
    assert 'per-frame loop' in output
    assert json.loads(out.read_text())['feeder']['outputs_equal'] is True
    assert (tmp_path / 'aug.md').exists()
