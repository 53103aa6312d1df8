"""Files/s and peak memory of ``ntu_gendata`` on many copies of raw NTU
files (the peaks: :mod:`.processes`)."""

import os
import os.path as osp
import resource
import shutil
import time
from typing import Any, Dict, Optional, Sequence

import numpy as np

from stgcn_reg.datasets.converters.ntu_gendata import (
    generate_ntu,
    list_skeleton_files,
)
from stgcn_reg.datasets.readers.ntu_names import parse_ntu_name

from .processes import _with_peaks, run_in_fresh_process

_MAX_COPIES = 999 * 999  # distinct (performer, replication) pairs


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
