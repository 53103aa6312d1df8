"""Turn a folder of raw NTU RGB+D ``.skeleton`` files into benchmark splits.

For each benchmark this writes ``{out_folder}/{benchmark}/{split}_data.npy``
(float32 ``(N, 3, T, 25, M)``) and ``{split}_label.pkl``
(``(sample_names, labels)``) for ``split`` in ``train`` and ``val``, plus a
``gendata_summary.json`` with what was written and skipped, and why.
"""

import logging
import os
import os.path as osp
from functools import partial
from itertools import product
from typing import (
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import numpy as np
from mmengine.logging import print_log

from stgcn_reg.graphs.layouts import LAYOUTS
from stgcn_reg.utils import write_json_atomic

from ..readers.ntu_names import (
    NTU_BENCHMARKS,
    NTUName,
    parse_ntu_name,
    read_ignore_list,
    split_of,
)
from ..readers.ntu_skeleton import read_ntu_sample
from .conversion import (
    ConversionSummary,
    SampleToConvert,
    read_samples,
    summarize_skips,
)
from .gendata_outputs import commit_outputs, staged_outputs

SPLITS = ('train', 'val')
SUFFIX = '.skeleton'


def list_skeleton_files(data_path: str) -> List[str]:
    """The ``.skeleton`` file names in ``data_path``, sorted by name.

    Raises:
        FileNotFoundError: When the folder is missing or has none.
    """
    if not osp.isdir(data_path):
        raise FileNotFoundError(f'data_path {data_path!r} is not a folder')
    names = sorted(
        name for name in os.listdir(data_path) if name.endswith(SUFFIX)
    )
    if not names:
        raise FileNotFoundError(
            f'data_path {data_path!r} has no {SUFFIX} files; it should be '
            'the folder of raw NTU RGB+D skeletons (nturgb+d_skeletons/)'
        )
    return names


def _in_benchmark(fields: NTUName, benchmark: str) -> bool:
    """NTU-60 benchmarks use setups 1-17 and actions 1-60 only, so an
    NTU-120 folder gives the same NTU-60 splits."""
    num_classes, last_setup = NTU_BENCHMARKS[benchmark]
    return fields.action <= num_classes and fields.setup <= last_setup


def _split_files(out_folder: str, benchmark: str,
                 split: str) -> Tuple[str, str]:
    """The data and label file of one split."""
    folder = osp.join(out_folder, benchmark)
    return (osp.join(folder, f'{split}_data.npy'),
            osp.join(folder, f'{split}_label.pkl'))


def output_files(out_folder: str, benchmarks: Sequence[str]) -> Dict[str, str]:
    """Every file :func:`generate_ntu` writes, by a short description."""
    files = {}
    for benchmark in benchmarks:
        for split in SPLITS:
            data, label = _split_files(out_folder, benchmark, split)
            files[f'{benchmark} {split} data'] = data
            files[f'{benchmark} {split} labels'] = label
        files[f'{benchmark} summary'] = osp.join(out_folder, benchmark,
                                                 'gendata_summary.json')
    return files


def generate_ntu(
    data_path: str,
    out_folder: str,
    benchmarks: Sequence[str] = ('xsub', 'xview'),
    ignore_list: Optional[Union[str, Iterable[str]]] = None,
    workers: Optional[int] = None,
    max_frames: int = 300,
    max_bodies: int = 2,
    progress: bool = True,
    overwrite: bool = False,
) -> Dict[str, ConversionSummary]:
    """Convert the raw NTU files of ``data_path`` for each benchmark.

    Files are taken in name order. Listed (ignored) files, files whose name
    is not ``SsssCcccPpppRrrrAaaa.skeleton`` and, for the NTU-60 benchmarks,
    NTU-120-only files are left out and counted; unreadable files are
    skipped and reported. Sample names keep the ``.skeleton`` suffix and
    labels are ``action - 1``, as in the reference tool.

    Args:
        data_path (str): Folder of raw ``.skeleton`` files.
        out_folder (str): Output root; one sub-folder per benchmark.
        benchmarks (sequence of str): Any of ``'xsub'``, ``'xview'``
            (NTU-60), ``'xsub120'``, ``'xset120'`` (NTU-120). Defaults to
            ``('xsub', 'xview')``.
        ignore_list (str | iterable of str, optional): A file of sample
            names to leave out (e.g. the official
            ``samples_with_missing_skeletons.txt``), or the names.
        workers (int, optional): Reader processes. Defaults to all CPUs.
        max_frames (int): Frames per sample (T). Defaults to 300.
        max_bodies (int): Bodies per sample (M). Defaults to 2.
        progress (bool): Show progress bars. Defaults to True.
        overwrite (bool): Replace a data file holding more samples than
            this run's. Defaults to False.

    Returns:
        dict: ``'{benchmark}/{split}'`` -> :class:`ConversionSummary`.

    Raises:
        FileNotFoundError: When ``data_path`` is missing or has no
            ``.skeleton`` files, or the ignore-list file is missing.
        ValueError: For an unknown benchmark or a non-positive size.
        OutputRefusedError: No file was readable, or an output would lose
            samples (see :func:`commit_outputs`); nothing is written.
    """
    benchmarks = _check_settings(benchmarks, max_frames, max_bodies)
    names = _NameSelection(list_skeleton_files(data_path), ignore_list)
    reader, shape = _sample_reader(max_frames, max_bodies)
    parts = list(product(benchmarks, SPLITS))
    with staged_outputs() as pending:
        for benchmark, split in parts:
            pending.append(read_samples(
                names.samples(data_path, benchmark, split), reader, shape,
                *_split_files(out_folder, benchmark, split),
                workers=workers, progress=progress))
        commit_outputs(pending, data_path, overwrite, names.bad_names)
    summaries = {f'{b}/{s}': p.summary for (b, s), p in zip(parts, pending)}
    for benchmark in benchmarks:
        _write_report(data_path, out_folder, benchmark, names, summaries)
    return summaries


def _sample_reader(max_frames: int, max_bodies: int
                   ) -> Tuple[Callable[[str], np.ndarray], Tuple[int, ...]]:
    """The picklable reader of one file and the sample shape it gives."""
    ntu = LAYOUTS['ntu-rgb+d']
    reader = partial(
        read_ntu_sample, max_frames=max_frames, max_bodies=max_bodies
    )
    return reader, (ntu.channels, max_frames, ntu.num_node, max_bodies)


def _check_settings(benchmarks: Sequence[str], max_frames: int,
                    max_bodies: int) -> List[str]:
    """The benchmarks, each once; raise before any work for an unknown
    benchmark or a bad size."""
    benchmarks = list(dict.fromkeys(benchmarks))
    for benchmark in benchmarks:
        split_of('S001C001P001R001A001', benchmark)
    if max_frames < 1 or max_bodies < 1:
        raise ValueError(
            'max_frames and max_bodies must be positive, got '
            f'{max_frames} and {max_bodies}'
        )
    return benchmarks


class _NameSelection:
    """The files of a folder by name: ignored, badly named, or parsed.

    Bad names are logged as warnings, once.
    """

    def __init__(self, files: List[str],
                 ignore_list: Optional[Union[str, Iterable[str]]]) -> None:
        if isinstance(ignore_list, str):
            ignore_list = read_ignore_list(ignore_list)
        ignored_names = set(ignore_list or ())
        self.files = len(files)
        self.ignored = 0
        self.parsed: List[Tuple[str, NTUName]] = []
        self.bad_names: List[Tuple[str, str]] = []
        for name in files:
            if name[: -len(SUFFIX)] in ignored_names:
                self.ignored += 1
                continue
            try:
                self.parsed.append((name, parse_ntu_name(name)))
            except ValueError as error:
                self.bad_names.append((name, str(error)))
        for name, reason in self.bad_names:
            print_log(
                f'skipped {name}: {reason}',
                logger='current',
                level=logging.WARNING,
            )

    def samples(self, data_path: str, benchmark: str,
                split: str) -> List[SampleToConvert]:
        """The files of ``split`` of ``benchmark``, in name order."""
        return [
            SampleToConvert(osp.join(data_path, name), name, fields.label)
            for name, fields in self.parsed
            if _in_benchmark(fields, benchmark)
            and split_of(fields, benchmark) == split
        ]

    def outside(self, benchmark: str) -> int:
        """How many parsed files ``benchmark`` leaves out."""
        return sum(not _in_benchmark(f, benchmark) for _, f in self.parsed)


def _write_report(data_path: str, out_folder: str, benchmark: str,
                  names: _NameSelection,
                  summaries: Dict[str, ConversionSummary]) -> None:
    """Save ``{benchmark}/gendata_summary.json``: counts and skips."""
    report = dict(
        benchmark=benchmark,
        data_path=osp.abspath(data_path),
        files=names.files,
        ignored=names.ignored,
        outside_benchmark=names.outside(benchmark),
        bad_names=[dict(name=n, reason=r) for n, r in names.bad_names],
        splits={split: summarize_skips(summaries[f'{benchmark}/{split}'])
                for split in SPLITS},
    )
    folder = osp.join(out_folder, benchmark)
    write_json_atomic(report, osp.join(folder, 'gendata_summary.json'),
                      indent=2)
