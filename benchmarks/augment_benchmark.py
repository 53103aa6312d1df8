"""Samples/s of RandomChoose + RandomMove: vectorised vs frame by frame.

Two measurements on the same Kinetics-shaped samples, each pipeline run
on the same seed so that the outputs can be (and are) compared:

- ``transforms``: the two transforms alone on samples in memory;
- ``feeder``: ``SkeletonDataset`` reading a memory-mapped ``.npy`` with
  the pipeline, item by item in this process, i.e. what one DataLoader
  worker delivers.

Repeats alternate between the two pipelines; the median counts.
"""
import os.path as osp
import statistics
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional

import numpy as np

from stgcn_reg.cli.amp_policy import cpu_model
from stgcn_reg.datasets.transforms import RandomChoose, RandomMove
from stgcn_reg.utils import write_pickle_atomic

from .references import LoopRandomChoose, LoopRandomMove

WINDOW = 150  # configs/_base_/datasets/kinetics.py
PIPELINES: Dict[str, Callable[[], List[Callable]]] = dict(
    vectorised=lambda: [RandomChoose(WINDOW), RandomMove()],
    per_frame_loop=lambda: [LoopRandomChoose(WINDOW), LoopRandomMove()],
)


def kinetics_like(num_samples: int, seed: int = 0) -> np.ndarray:
    """``(N, 3, 300, 18, 2)`` float32: 30-300 valid frames of 1-2 persons
    (x, y in [-0.5, 0.5), score in [0.05, 1)), zero padding after."""
    rng = np.random.default_rng(seed)
    data = np.zeros((num_samples, 3, 300, 18, 2), np.float32)
    for sample in data:
        frames, persons = rng.integers(30, 301), rng.integers(1, 3)
        values = rng.uniform(0.05, 1, (3, frames, 18, persons))
        values[:2] -= 0.525
        sample[:, :frames, :, :persons] = values
    return data


def _run(pipeline: List[Callable], sample: np.ndarray) -> np.ndarray:
    results = dict(keypoint=sample)
    for transform in pipeline:
        results = transform(results)
    return results['keypoint']


def _timed(work: Callable[[], List[np.ndarray]], count: int, seed: int
           ) -> tuple:
    np.random.seed(seed)
    start = time.perf_counter()
    outputs = work()
    return count / (time.perf_counter() - start), outputs


def _compare(runs: Dict[str, Callable[[], List[np.ndarray]]], count: int,
             repeats: int) -> Dict[str, Any]:
    rates: Dict[str, List[float]] = {name: [] for name in runs}
    equal = True
    for repeat in range(repeats):
        outputs = {}
        for name, work in runs.items():
            rate, outputs[name] = _timed(work, count, seed=repeat)
            rates[name].append(rate)
        first, second = outputs.values()
        equal = equal and all(
            a.shape == b.shape and np.array_equal(a, b)
            for a, b in zip(first, second))
    result: Dict[str, Any] = {
        name: dict(samples_per_s=round(statistics.median(r), 1),
                   min=round(min(r), 1), max=round(max(r), 1))
        for name, r in rates.items()}
    result['speedup'] = round(
        result['vectorised']['samples_per_s'] /
        result['per_frame_loop']['samples_per_s'], 1)
    result['outputs_equal'] = bool(equal)
    return result


def run_augment_benchmark(num_samples: int = 256, repeats: int = 5,
                          tmp_dir: Optional[str] = None) -> Dict[str, Any]:
    """Both measurements; see the module docstring.

    Returns:
        dict: ``environment``, ``settings``, and for ``transforms`` and
        ``feeder`` the samples/s (median, min, max) of ``vectorised`` and
        ``per_frame_loop``, the ``speedup`` and ``outputs_equal``.
    """
    from mmengine.registry import init_default_scope

    from stgcn_reg.datasets import SkeletonDataset
    init_default_scope('stgcn_reg')
    data = kinetics_like(num_samples)
    pipelines = {name: make() for name, make in PIPELINES.items()}
    transforms = _compare({
        name: (lambda p=p: [_run(p, sample) for sample in data])
        for name, p in pipelines.items()}, num_samples, repeats)
    with tempfile.TemporaryDirectory(prefix='stgcn_aug_', dir=tmp_dir) as t:
        data_path = osp.join(t, 'data.npy')
        label_path = osp.join(t, 'label.pkl')
        np.save(data_path, data)
        write_pickle_atomic(([f's{i}' for i in range(num_samples)],
                             [0] * num_samples), label_path)
        datasets = {
            name: SkeletonDataset(data_path, label_path, pipeline=p,
                                  layout='openpose')
            for name, p in pipelines.items()}
        feeder = _compare({
            name: (lambda d=d: [d[i]['inputs'].numpy()
                                for i in range(len(d))])
            for name, d in datasets.items()}, num_samples, repeats)
        del datasets
    return dict(
        environment=dict(cpu_model=cpu_model(), numpy=np.__version__),
        settings=dict(samples=num_samples, repeats=repeats, window=WINDOW,
                      shape=[3, 300, 18, 2]),
        transforms=transforms, feeder=feeder)


def format_augment_report(results: Dict[str, Any]) -> str:
    """The results as Markdown."""
    settings = results['settings']
    lines = [
        '## RandomChoose + RandomMove: vectorised vs per-frame loop',
        '',
        f'- {results["environment"]["cpu_model"]}, numpy '
        f'{results["environment"]["numpy"]}; {settings["samples"]} '
        f'Kinetics-shaped samples {tuple(settings["shape"])}, window '
        f'{settings["window"]}, {settings["repeats"]} alternating repeats, '
        'one process (= one DataLoader worker)',
        '',
        '| measurement | vectorised samples/s (min-max) | per-frame loop '
        'samples/s (min-max) | speed-up | outputs equal |',
        '|---|---:|---:|---:|---|',
    ]
    for name in ('transforms', 'feeder'):
        entry = results[name]
        cells = [f'{entry[k]["samples_per_s"]:.1f} ({entry[k]["min"]:.1f}-'
                 f'{entry[k]["max"]:.1f})'
                 for k in ('vectorised', 'per_frame_loop')]
        lines.append(f'| {name} | {cells[0]} | {cells[1]} | '
                     f'{entry["speedup"]:.1f}x | {entry["outputs_equal"]} |')
    return '\n'.join(lines) + '\n'
