"""The data benchmark: name copies, synthetic files, and the tool end to end.

No timing thresholds: only that every number was measured.
"""

import json
import os

import pytest
from tool_runner import run_tool, tool

from benchmarks.data_benchmark import (
    link_copies,
    write_synthetic_skeletons,
)
from stgcn_reg.datasets.readers.ntu_names import parse_ntu_name, split_of
from stgcn_reg.datasets.readers.ntu_skeleton import read_ntu_sample

FEEDERS = {'SkeletonDataset', 'H5SkeletonDataset', 'PoseAnnotationDataset'}


def test_synthetic_skeletons_are_valid_ntu_files(tmp_path):
    folder = write_synthetic_skeletons(str(tmp_path), num_frames=7)
    names = sorted(os.listdir(folder))
    assert len(names) == 4
    for name in names:
        parse_ntu_name(name)
        sample = read_ntu_sample(os.path.join(folder, name))
        assert sample.shape == (3, 300, 25, 2)
        assert sample[:, :7].any() and not sample[:, 7:].any()


def test_link_copies_gives_distinct_valid_names(tmp_path):
    source = write_synthetic_skeletons(str(tmp_path / 'source'), 1)
    out = tmp_path / 'links'
    # past 999 copies the performer moves on, so names stay distinct
    assert link_copies(source, 1001, str(out)) == 4 * 1001
    names = os.listdir(out)
    assert len(set(names)) == 4 * 1001
    fields = [parse_ntu_name(name) for name in names]
    assert {f.replication for f in fields} == set(range(1, 1000))
    # the first 999 copies keep their file's xsub split
    first = [n for n, f in zip(names, fields) if f.action == 1]
    assert {split_of(n, 'xsub') for n in first} == {'train'}
    assert all(os.path.islink(out / name) for name in names)
    with pytest.raises(ValueError, match='copies'):
        link_copies(source, 0, str(tmp_path / 'none'))


@pytest.mark.slow
def test_data_benchmark_tool_quick(tmp_path):
    out = tmp_path / 'r.json'
    output = run_tool(tool('benchmark.py'), 'data', '--quick', '--out',
                      str(out), '--tmp-dir', str(tmp_path), cwd=str(tmp_path))
    assert 'files/s' in output and 'loader/s' in output
    results = json.loads(out.read_text())
    env = results['environment']
    assert env['cpu_model'] and env['cpu_model'] != 'unknown'
    assert env['cpu_count'] >= 1 and env['torch'] and env['h5py']
    gendata = results['ntu_gendata']
    assert gendata['source'] in ('shared', 'synthetic')
    assert [run['files'] for run in gendata['runs']] == [8, 32]
    for run in gendata['runs']:
        assert run['written'] == run['files'] and run['skipped'] == 0
        assert run['files_per_s'] > 0 and run['busy_cores'] > 0
        for key in ('main_peak_rss_mb', 'main_peak_anon_mb',
                    'workers_peak_rss_mb'):
            assert run[key] > 0, key
    assert set(results['feeders']) == FEEDERS
    for name, feeder in results['feeders'].items():
        assert feeder['samples'] == 64, name
        assert feeder['single_samples_per_s'] > 0, name
        assert feeder['loader_samples_per_s'] > 0, name
        assert feeder['main_peak_rss_mb'] > 0, name
        assert feeder['workers_peak_rss_mb'] > 0, name
    # the scratch folder is cleaned up
    assert [p.name for p in tmp_path.iterdir()] == ['r.json']
