"""Parallel conversion of raw skeleton files into one ``.npy`` + label pkl.

Readers of raw formats (NTU ``.skeleton``, Kinetics JSON, ...) turn one
file into a ``(C, T, V, M)`` array. :func:`convert_samples` runs a reader
over many files in worker processes, writes each result straight into a
memory-mapped output (memory stays flat however many files there are),
reports unreadable files instead of aborting, and writes every output
atomically so an interrupted run leaves no half file behind.
"""
import os
import os.path as osp
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.utils import ProgressBar

from stgcn_reg.utils import atomic_path, write_pickle_atomic


class SkeletonFormatError(ValueError):
    """A raw skeleton file does not follow its format.

    Args:
        path (str): The offending file.
        message (str): What was expected and what was found.
        line (int, optional): 1-based line number, when it applies.
    """

    def __init__(self, path: str, message: str,
                 line: Optional[int] = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f'{path}, line {line}' if line is not None else path
        super().__init__(f'{where}: {message}')


@dataclass
class SampleToConvert:
    """One input file with the name and label it gets in the output."""
    path: str
    name: str
    label: int


@dataclass
class ConversionSummary:
    """What :func:`convert_samples` wrote and what it skipped, and why."""
    data_path: str
    label_path: str
    written: int = 0
    skipped: List[Tuple[str, str]] = field(default_factory=list)

    def format(self) -> str:
        """Multi-line text for the end of a gendata run."""
        lines = [
            f'{self.data_path}: {self.written} samples written, '
            f'{len(self.skipped)} skipped'
        ]
        lines += [f'  skipped {name}: {why}' for name, why in self.skipped]
        return '\n'.join(lines)


Reader = Callable[[str], np.ndarray]


def _read_one(args: Tuple[Reader, str]) -> Tuple[Optional[np.ndarray], str]:
    """Worker: read one file; a format error becomes a reported skip."""
    reader, path = args
    try:
        return reader(path), ''
    except SkeletonFormatError as error:
        return None, str(error)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return None, f'{path}: {type(error).__name__}: {error}'


def _imap(reader: Reader, paths: Sequence[str], workers: int):
    """Yield ``(array, error)`` per path, in order, over ``workers``."""
    jobs = [(reader, path) for path in paths]
    if workers <= 1:
        yield from map(_read_one, jobs)
        return
    with get_context('fork').Pool(workers) as pool:
        yield from pool.imap(_read_one, jobs, chunksize=4)


def convert_samples(samples: Sequence[SampleToConvert],
                    reader: Reader,
                    sample_shape: Tuple[int, ...],
                    data_path: str,
                    label_path: str,
                    workers: Optional[int] = None,
                    progress: bool = True) -> ConversionSummary:
    """Read ``samples`` in parallel into ``data_path`` + ``label_path``.

    Args:
        samples (sequence): Files with their output names and labels, in
            output order.
        reader (callable): Maps a file path to a float array of
            ``sample_shape``; raises :class:`SkeletonFormatError` for a bad
            file (the file is then skipped and reported). Must be
            picklable (a module-level function or ``functools.partial``).
        sample_shape (tuple): ``(C, T, V, M)`` of one sample.
        data_path (str): Output ``.npy``, float32 ``(N, C, T, V, M)``.
        label_path (str): Output pickle of ``(sample_names, labels)``.
        workers (int, optional): Reader processes. Defaults to all CPUs.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        ConversionSummary: Counts and the skipped files with reasons.
    """
    workers = workers or os.cpu_count() or 1
    summary = ConversionSummary(data_path, label_path)
    names: List[str] = []
    labels: List[int] = []
    bar = ProgressBar(len(samples)) if progress and samples else None
    os.makedirs(osp.dirname(osp.abspath(data_path)), exist_ok=True)
    scratch_path = f'{data_path}.scratch.{os.getpid()}.npy'
    try:
        with _RowWriter(scratch_path, len(samples), sample_shape) as rows:
            results = _imap(reader, [s.path for s in samples], workers)
            for sample, (array, error) in zip(samples, results):
                if array is None:
                    summary.skipped.append((sample.name, error))
                elif tuple(array.shape) != tuple(sample_shape):
                    summary.skipped.append(
                        (sample.name, f'{sample.path}: reader returned '
                         f'shape {array.shape}, expected {sample_shape}'))
                else:
                    rows.write(len(names), array)
                    names.append(sample.name)
                    labels.append(int(sample.label))
                if bar is not None:
                    bar.update()
        if len(names) == len(samples) and names:
            os.replace(scratch_path, data_path)  # nothing skipped: keep it
        else:
            scratch = np.load(scratch_path, mmap_mode='r')
            _write_first_rows(scratch, len(names), data_path)
            del scratch
    finally:
        if osp.exists(scratch_path):
            os.remove(scratch_path)
    if bar is not None:
        print()
    write_pickle_atomic((names, labels), label_path)
    summary.written = len(names)
    return summary


class _RowWriter:
    """Write ``(N, *shape)`` float32 rows into a new ``.npy`` by offset.

    Plain file writes instead of a memory map: written pages then belong
    to the page cache, not to this process, so its memory stays flat
    however large the output grows.
    """

    def __init__(self, path: str, num_rows: int,
                 row_shape: Tuple[int, ...]) -> None:
        shape = (num_rows, *row_shape)
        with open(path, 'wb') as file:  # header, then zeros by truncate
            np.lib.format.write_array_header_1_0(
                file, dict(descr='<f4', fortran_order=False, shape=shape))
            self._offset = file.tell()
            self._row_bytes = int(np.prod(row_shape)) * 4
            file.truncate(self._offset + num_rows * self._row_bytes)
        self._file = open(path, 'r+b')

    def write(self, index: int, row: np.ndarray) -> None:
        """Store ``row`` as row ``index``."""
        self._file.seek(self._offset + index * self._row_bytes)
        self._file.write(np.ascontiguousarray(row, np.float32).tobytes())

    def __enter__(self) -> '_RowWriter':
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._file.close()


def _write_first_rows(source: np.ndarray, count: int, data_path: str) -> None:
    """Copy ``source[:count]`` to a new ``.npy`` in chunks, atomically."""
    with atomic_path(data_path) as temp:
        with _RowWriter(temp, count, source.shape[1:]) as rows:
            for index in range(count):
                rows.write(index, source[index])


def summarize_skips(summary: ConversionSummary) -> Dict[str, Any]:
    """The summary as plain data (e.g. to save next to the output)."""
    return dict(
        data_path=summary.data_path,
        label_path=summary.label_path,
        written=summary.written,
        skipped=[dict(name=name, reason=why) for name, why in summary.skipped])
