"""Throughput and memory of data preparation and of the skeleton feeders.

Each measurement runs in a fresh ``spawn`` process. ``main_peak_rss_mb``
is that process's peak resident set (``VmHWM``; ``ru_maxrss`` would
start at the parent's peak, which an exec'd child inherits on Linux); it
counts pages of memory-mapped files too (the gendata output), which the
kernel may drop at will. ``main_peak_anon_mb`` is its sampled peak of
anonymous memory (``RssAnon``: heap and arrays), the number that must
not grow with the dataset. ``workers_peak_rss_mb`` is the largest
``ru_maxrss`` of its reader / DataLoader workers (``RUSAGE_CHILDREN``,
over the reaped ones); a forked worker also counts the pages it shares
with its parent.
"""

import multiprocessing
import os
import os.path as osp
import platform
import resource
import shutil
import tempfile
import threading
import time
import traceback
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional, Sequence

import h5py
import mmengine
import numpy as np
import torch

from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.datasets.converters.ntu_gendata import (
    generate_ntu,
    list_skeleton_files,
)
from stgcn_reg.datasets.readers.ntu_names import parse_ntu_name
from stgcn_reg.utils import write_pickle_atomic

# the Kinetics training augmentations (configs/_base_/datasets/kinetics.py)
KINETICS_TRAIN_PIPELINE = (
    dict(type='RandomChoose', window_size=150),
    dict(type='RandomMove'),
)
_MAX_COPIES = 999 * 999  # distinct (performer, replication) pairs


def environment_info() -> Dict[str, Any]:
    """CPU model and count, library versions and the date (UTC)."""
    model = platform.processor() or 'unknown'
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as file:
            found = [x for x in file if x.startswith('model name')]
        model = found[0].split(':', 1)[1].strip() if found else model
    affinity = getattr(os, 'sched_getaffinity', None)
    return dict(
        cpu_model=model, cpu_count=os.cpu_count(),
        usable_cpus=len(affinity(0)) if affinity else os.cpu_count(),
        python=platform.python_version(), platform=platform.platform(),
        torch=torch.__version__, numpy=np.__version__,
        h5py=h5py.__version__, mmengine=mmengine.__version__,
        date=datetime.now(timezone.utc).isoformat(timespec='seconds'))


def _status_mb(field: str) -> Optional[float]:
    """``field`` of ``/proc/self/status`` in MiB; None off Linux."""
    try:
        with open('/proc/self/status') as file:
            line = next(x for x in file if x.startswith(f'{field}:'))
    except (OSError, StopIteration):
        return None
    return int(line.split()[1]) / 1024


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS in MiB: of this process since exec, or of its children."""
    own = _status_mb('VmHWM') if who == resource.RUSAGE_SELF else None
    return round(own or resource.getrusage(who).ru_maxrss / 1024, 1)


def _with_peaks(work: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """``work()``'s dict plus the memory peaks, ``RssAnon`` sampled in a
    thread every 10 ms."""
    before = _peak_mb()
    samples = [_status_mb('RssAnon')]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            samples.append(_status_mb('RssAnon'))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        done.set()
        thread.join()
    samples.append(_status_mb('RssAnon'))
    anon = None if None in samples else round(max(samples), 1)
    return dict(
        result, main_peak_rss_before_mb=before,
        main_peak_rss_mb=_peak_mb(),
        main_peak_anon_mb=anon,
        workers_peak_rss_mb=_peak_mb(resource.RUSAGE_CHILDREN))


def _child(sender: Any, func: Callable, args: tuple) -> None:
    try:
        sender.send(('ok', func(*args)))
    except BaseException:
        sender.send(('error', traceback.format_exc()))


def run_in_fresh_process(func: Callable, *args: Any) -> Any:
    """``func(*args)`` in a new ``spawn`` process; its result or error.

    A plain process, not a pool worker: pool workers are daemons, which
    may not start the reader or DataLoader workers being measured.
    """
    context = multiprocessing.get_context('spawn')
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args))
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        status, payload = 'error', 'it died without a result'
    process.join()
    if status != 'ok':
        raise RuntimeError(f'{func.__name__} failed in a benchmark process '
                           f'(exit code {process.exitcode}):\n{payload}')
    return payload


def write_synthetic_skeletons(folder: str, num_frames: int = 100) -> str:
    """Four valid raw NTU files ``S00iC001P00iR001A00i.skeleton`` with
    ``1 + i % 2`` random bodies; returns ``folder``."""
    rng = np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    for i in range(1, 5):
        lines = [str(num_frames)]
        for _ in range(num_frames):
            lines.append(str(1 + i % 2))
            for body in range(1 + i % 2):
                lines += [f'{body + 1} 0 1 1 1 1 0 0.1 0.2 2', '25']
                lines += [' '.join(f'{v:.5f}' for v in row) + ' 2'
                          for row in rng.uniform(-1, 1, (25, 11))]
        name = f'S00{i}C001P00{i}R001A00{i}.skeleton'
        with open(osp.join(folder, name), 'w') as file:
            file.write('\n'.join(lines) + '\n')
    return folder


def link_copies(sample_dir: str, copies: int, out_dir: str) -> int:
    """Symlink each ``.skeleton`` file of ``sample_dir`` ``copies`` times.

    Copy ``k`` gets replication ``k % 999 + 1`` and its performer moved by
    ``k // 999``, so the names stay distinct and parse (the xsub split of
    the first 999 copies is that of their file). Returns the link count.
    """
    if not 1 <= copies <= _MAX_COPIES:
        raise ValueError(f'copies must be in [1, {_MAX_COPIES}]: {copies}')
    os.makedirs(out_dir, exist_ok=True)
    links = set()
    for name in list_skeleton_files(sample_dir):
        source = osp.abspath(osp.join(sample_dir, name))
        f = parse_ntu_name(name)
        for copy in range(copies):
            performer = (f.performer - 1 + copy // 999) % 999 + 1
            link = (f'S{f.setup:03d}C{f.camera:03d}P{performer:03d}'
                    f'R{copy % 999 + 1:03d}A{f.action:03d}.skeleton')
            if link in links:
                raise ValueError(f'two copies would be named {link}')
            links.add(link)
            os.symlink(source, osp.join(out_dir, link))
    return len(links)


def _measure_gendata(data_dir: str, out_dir: str, workers: int) -> dict:
    def cpu_s() -> float:  # this process and its reaped workers
        return sum(t for who in (resource.RUSAGE_SELF,
                                 resource.RUSAGE_CHILDREN)
                   for t in resource.getrusage(who)[:2])

    def work() -> dict:
        files = len(list_skeleton_files(data_dir))
        start, cpu = time.perf_counter(), cpu_s()
        summaries = generate_ntu(data_dir, out_dir, ('xsub',),
                                 workers=workers, progress=False)
        wall = time.perf_counter() - start
        return dict(
            files=files, wall_s=round(wall, 3),
            files_per_s=round(files / wall, 1),
            busy_cores=round((cpu_s() - cpu) / wall, 2),
            written=sum(s.written for s in summaries.values()),
            skipped=sum(len(s.skipped) for s in summaries.values()))

    return _with_peaks(work)


def bench_ntu_gendata(sample_dir: Optional[str], copies: int, workers: int,
                      tmp_dir: str,
                      scales: Sequence[int] = (1, 4)) -> Dict[str, Any]:
    """Files/s and peak memory of :func:`generate_ntu` (``xsub`` only).

    One run per scale, on ``copies * scale`` links to each sample file,
    each in a fresh process. Equal ``main_peak_anon_mb`` and
    ``workers_peak_rss_mb`` at both scales show that memory does not grow
    with the dataset (``main_peak_rss_mb`` also counts the output's
    mapped pages, which the kernel can drop).

    Args:
        sample_dir (str, optional): Raw ``.skeleton`` files to copy. When
            None or without such files, synthetic ones are written.
        copies (int): Links per sample file at scale 1.
        workers (int): Reader processes of :func:`generate_ntu`.
        tmp_dir (str): Scratch folder for the links and the output.
        scales (sequence of int): Dataset sizes as multiples of
            ``copies``. Defaults to ``(1, 4)``.

    Returns:
        dict: ``source`` (``'shared'`` or ``'synthetic'``),
        ``sample_files``, ``workers`` and ``runs``: per scale its
        ``copies``, ``files``, ``wall_s``, ``files_per_s``,
        ``busy_cores`` (CPU seconds of all processes per second) and the
        peaks (MiB).
    """
    source = 'shared'
    if not (sample_dir and osp.isdir(sample_dir) and any(
            name.endswith('.skeleton') for name in os.listdir(sample_dir))):
        source = 'synthetic'
        sample_dir = write_synthetic_skeletons(osp.join(tmp_dir, 'source'))
    data_dir = osp.join(tmp_dir, 'ntu_links')
    out_dir = osp.join(tmp_dir, 'ntu_out')
    runs = []
    for scale in scales:
        link_copies(sample_dir, copies * scale, data_dir)
        runs.append(dict(copies=copies * scale, **run_in_fresh_process(
            _measure_gendata, data_dir, out_dir, workers)))
        shutil.rmtree(data_dir)
        shutil.rmtree(out_dir)
    return dict(source=source, workers=workers, runs=runs,
                sample_files=len(list_skeleton_files(sample_dir)))


def write_kinetics_like(num_samples: int, folder: str) -> Dict[str, str]:
    """Random Kinetics-shaped data as ``.npy`` + pkl, HDF5 and annotations.

    Each sample has 30-300 valid frames of 1-2 persons with (x, y, score)
    for 18 joints, then zero padding: ``(N, 3, 300, 18, 2)`` float32, 400
    classes. Returns the paths under ``npy``, ``label``, ``h5``, ``ann``.
    """
    rng = np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    paths = dict(npy='train_data.npy', label='train_label.pkl',
                 h5='train.h5', ann='train_anno.pkl')
    paths = {key: osp.join(folder, name) for key, name in paths.items()}
    data = np.lib.format.open_memmap(paths['npy'], 'w+', np.float32,
                                     (num_samples, 3, 300, 18, 2))
    names = [f'clip{index:06d}' for index in range(num_samples)]
    labels = rng.integers(0, 400, num_samples).tolist()
    annotations = []
    for index, (name, label) in enumerate(zip(names, labels)):
        frames, persons = int(rng.integers(30, 301)), int(rng.integers(1, 3))
        sample = rng.uniform(0.05, 1, (3, frames, 18, persons))
        sample[:2] -= 0.525  # x, y in [-0.475, 0.475), score in [0.05, 1)
        sample = sample.astype(np.float32)
        data[index, :, :frames, :, :persons] = sample
        annotations.append(dict(
            frame_dir=name, label=label, total_frames=frames,
            keypoint=sample[:2].transpose(3, 1, 2, 0).copy(),
            keypoint_score=sample[2].transpose(2, 0, 1).copy()))
    data.flush()
    del data
    write_pickle_atomic((names, labels), paths['label'])
    convert_npy_to_h5(paths['npy'], paths['label'], paths['h5'])
    write_pickle_atomic(dict(split=dict(train=names), annotations=annotations),
                        paths['ann'])
    return paths


def _measure_feeder(config: dict, batch_size: int, num_workers: int) -> dict:
    from mmengine.dataset import default_collate
    from mmengine.registry import init_default_scope
    from torch.utils.data import DataLoader

    from stgcn_reg.registry import DATASETS

    init_default_scope('stgcn_reg')
    np.random.seed(0)

    def work() -> dict:
        start = time.perf_counter()
        dataset = DATASETS.build(config)
        init_s = time.perf_counter() - start
        start = time.perf_counter()
        for index in np.random.permutation(len(dataset)):
            dataset[int(index)]
        single_s = time.perf_counter() - start
        # fork, as training does (mp_start_method in default_runtime.py);
        # a spawned process would otherwise spawn its workers too
        loader = DataLoader(dataset, batch_size, shuffle=True,
                            num_workers=num_workers,
                            collate_fn=default_collate,
                            multiprocessing_context='fork')
        start = time.perf_counter()
        first_batch_s, seen = 0.0, 0
        for batch in loader:
            first_batch_s = first_batch_s or time.perf_counter() - start
            seen += len(batch['inputs'])
        loader_s = time.perf_counter() - start
        if seen != len(dataset):
            raise RuntimeError(f'{seen} of {len(dataset)} samples loaded')
        return dict(
            samples=len(dataset), init_s=round(init_s, 3),
            single_samples_per_s=round(len(dataset) / single_s, 1),
            loader_samples_per_s=round(len(dataset) / loader_s, 1),
            loader_first_batch_s=round(first_batch_s, 3))

    return _with_peaks(work)


def bench_feeders(num_samples: int, tmp_dir: str, batch_size: int = 32,
                  num_workers: int = 2) -> Dict[str, Any]:
    """Samples/s and peak memory of each feeder with Kinetics augmentations.

    The same random Kinetics-shaped data (:func:`write_kinetics_like`) is
    read by ``SkeletonDataset`` (memory-mapped ``.npy``),
    ``H5SkeletonDataset`` and ``PoseAnnotationDataset``, each through
    :data:`KINETICS_TRAIN_PIPELINE`, once item by item in one process and
    once through a shuffling DataLoader; each feeder in a fresh process.

    Args:
        num_samples (int): Samples N of the dataset.
        tmp_dir (str): Scratch folder for the data files.
        batch_size (int): DataLoader batch size. Defaults to 32.
        num_workers (int): DataLoader workers. Defaults to 2.

    Returns:
        dict: Feeder class name -> ``samples``, ``init_s``,
        ``single_samples_per_s``, ``loader_samples_per_s``,
        ``loader_first_batch_s`` and the peaks (MiB).
    """
    folder = osp.join(tmp_dir, 'kinetics')
    paths = write_kinetics_like(num_samples, folder)
    own = dict(
        SkeletonDataset=dict(data_path=paths['npy'], mmap=True,
                             label_path=paths['label']),
        H5SkeletonDataset=dict(data_path=paths['h5']),
        PoseAnnotationDataset=dict(ann_file=paths['ann'], split='train',
                                   num_frames=300))
    results = {}
    for name, options in own.items():
        config = dict(type=name, num_classes=400, layout='openpose',
                      pipeline=list(KINETICS_TRAIN_PIPELINE), **options)
        results[name] = run_in_fresh_process(_measure_feeder, config,
                                             batch_size, num_workers)
    shutil.rmtree(folder)
    return results


def run_data_benchmark(copies: int, workers: int, feeder_samples: int,
                       sample_dir: Optional[str] = None,
                       tmp_dir: Optional[str] = None,
                       batch_size: int = 32,
                       loader_workers: int = 2) -> Dict[str, Any]:
    """:func:`bench_ntu_gendata` and :func:`bench_feeders` with the
    environment and settings, in a temporary folder under ``tmp_dir``
    (default: the system's)."""
    settings = dict(copies=copies, workers=workers, batch_size=batch_size,
                    feeder_samples=feeder_samples,
                    loader_workers=loader_workers)
    with tempfile.TemporaryDirectory(prefix='stgcn_bench_', dir=tmp_dir) as t:
        return dict(
            environment=environment_info(), settings=settings,
            ntu_gendata=bench_ntu_gendata(sample_dir, copies, workers, t),
            feeders=bench_feeders(feeder_samples, t, batch_size,
                                  loader_workers))
