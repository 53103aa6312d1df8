"""tools/gpu_benchmark.sh without a GPU: its wheel list, its clear failure
without CUDA or torch, and its report with nothing run (no downloads)."""
import configparser
import importlib.util
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT
from mmaction_import import INSTALL as MMACTION_INSTALL
from packaging.requirements import Requirement

SCRIPT = osp.join(REPO_ROOT, 'tools', 'gpu_benchmark.sh')
TIERS = ('core', 'mmaction')


def key(name: str) -> str:
    """A distribution's name as wheel files spell it."""
    return re.sub(r'[-_.]+', '_', name).lower()


def run_script(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHON=sys.executable)
    environment.update(env or {})
    return subprocess.run(['bash', SCRIPT, *args], cwd=REPO_ROOT,
                          env=environment, capture_output=True, text=True,
                          timeout=timeout)


def wheel_list() -> list:
    done = run_script('--list')
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines()]


def test_script_parses_and_helps():
    assert subprocess.run(['bash', '-n', SCRIPT]).returncode == 0
    done = run_script('--help')
    assert done.returncode == 0
    for option in ('--prepare', '--install-only', '--cpu-test', '--wheels',
                   '--copy-to', '--budget', 'GPU_BENCH_WHEELS'):
        assert option in done.stdout
    done = run_script('--no-such-option')
    assert done.returncode == 2
    assert 'unknown argument --no-such-option' in done.stderr


def test_wheel_list_is_pinned_and_consistent():
    rows = wheel_list()
    assert rows and all(len(row) == 4 for row in rows)
    names = []
    for tier, requirement, module, kind in rows:
        assert tier in TIERS and kind in ('pure', 'binary')
        parsed = Requirement(requirement)
        (specifier, ) = parsed.specifier
        assert specifier.operator == '==', requirement
        names.append(parsed.name.lower().replace('_', '-'))
        assert re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', module)
    assert len(names) == len(set(names))
    # never reinstalled over the machine's own (a CUDA torch above all)
    assert not {'torch', 'numpy', 'opencv-python',
                'opencv-python-headless'} & set(names)
    pins = {Requirement(row[1]).name.lower(): row[1] for row in rows}
    # the mmengine this package accepts (setup.cfg) ...
    config = configparser.ConfigParser()
    config.read(osp.join(REPO_ROOT, 'setup.cfg'))
    wanted = next(Requirement(line) for line in
                  config['options']['install_requires'].split()
                  if line.startswith('mmengine'))
    version = pins['mmengine'].split('==')[1]
    assert wanted.specifier.contains(version)
    # ... and the MMAction2 the tests and benchmarks install
    for name in ('mmcv-lite', 'mmaction2'):
        assert pins[name] in MMACTION_INSTALL
    # what the core tier imports is here too (the package's dependencies)
    for tier, _, module, _ in rows:
        if tier == 'core':
            assert importlib.util.find_spec(module), module


def test_prepared_wheels_match_the_list():
    folder = osp.join(REPO_ROOT, 'benchmarks', 'wheels')
    if not osp.isdir(folder):
        pytest.skip('no benchmarks/wheels (bash tools/gpu_benchmark.sh '
                    '--prepare fetches them)')
    wanted = {key(Requirement(row[1]).name):
              row[1].split('==')[1] for row in wheel_list()}
    found = {}
    for file in os.listdir(folder):
        if file.endswith('.whl'):
            name, version = file.split('-')[:2]
            found.setdefault(key(name), set()).add(version)
    assert set(found) == set(wanted)
    assert all(found[name] == {wanted[name]} for name in wanted)


def test_ignored_by_git():
    if shutil.which('git') is None or not osp.isdir(
            osp.join(REPO_ROOT, '.git')):
        pytest.skip('not a git checkout')
    for path in ('benchmarks/wheels/mmengine-0.10.7-py3-none-any.whl',
                 'benchmarks/gpu_nvidia_h200.log'):
        assert subprocess.run(['git', 'check-ignore', '-q', path],
                              cwd=REPO_ROOT).returncode == 0, path
    assert subprocess.run(['git', 'check-ignore', '-q',
                           'benchmarks/gpu_nvidia_h200.md'],
                          cwd=REPO_ROOT).returncode == 1


@pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA is here')
def test_fails_in_one_line_without_cuda(tmp_path):
    done = run_script('--wheels', str(tmp_path / 'none'),
                      '--out-dir', str(tmp_path / 'out'))
    assert done.returncode == 1
    assert done.stdout == ''  # nothing installed, nothing run
    (line, ) = done.stderr.splitlines()
    assert line.startswith('gpu_benchmark.sh: error: CUDA is not available')
    assert '--cpu-test' in line
    assert not (tmp_path / 'out').exists()


def test_fails_in_one_line_without_torch(tmp_path):
    (tmp_path / 'torch.py').write_text("raise ImportError('no torch here')\n")
    done = run_script(env=dict(PYTHONPATH=str(tmp_path)))
    assert done.returncode == 1
    (line, ) = done.stderr.splitlines()
    assert 'cannot import torch' in line


def test_install_only_and_report_with_nothing_run(tmp_path):
    """Here every core package is installed, so nothing is; a budget of 0
    s leaves every run out, and the report says so."""
    done = run_script('--install-only', '--wheels', str(tmp_path / 'none'))
    assert done.returncode == 0, done.stderr
    assert 'core: all present' in done.stdout
    assert 'the benchmark imports' in done.stdout
    out, copy = tmp_path / 'out', tmp_path / 'copy'
    done = run_script('--cpu-test', '--budget', '0', '--out-dir', str(out),
                      '--copy-to', str(copy), '--wheels',
                      str(tmp_path / 'none'))
    assert done.returncode == 0, done.stderr
    report = (out / 'gpu_cpu_test_run.md').read_text()
    assert report.startswith('# ST-GCN on CPU (test run)')
    for run in ('fp32', 'bf16', 'fp16', 'bf16_compile', 'fp32_compile'):
        assert f'## {run}: ' in report
    assert report.count('not run: 0 s of the 0 s budget left') == 5
    assert 'No fp32 training rate of `plain`' in report
    assert sorted(os.listdir(copy)) == ['gpu_cpu_test_run.log',
                                        'gpu_cpu_test_run.md']
