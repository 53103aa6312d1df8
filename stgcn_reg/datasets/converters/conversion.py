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

from ..readers.errors import SkeletonFormatError


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

    :func:`read_samples`, then :meth:`PendingOutput.commit`.

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
    return read_samples(samples, reader, sample_shape, data_path,
                        label_path, workers, progress).commit()


def read_samples(samples: Sequence[SampleToConvert],
                 reader: Reader,
                 sample_shape: Tuple[int, ...],
                 data_path: str,
                 label_path: str,
                 workers: Optional[int] = None,
                 progress: bool = True) -> 'PendingOutput':
    """Read ``samples`` into a scratch file beside ``data_path``.

    Arguments as :func:`convert_samples`. Nothing is put in place until
    :meth:`PendingOutput.commit`; a sample whose array holds NaN or
    infinity is skipped and reported like an unreadable file.
    """
    workers = workers or os.cpu_count() or 1
    pending = PendingOutput(ConversionSummary(data_path, label_path),
                            f'{data_path}.scratch.{os.getpid()}.npy',
                            len(samples),
                            _make_folders(osp.dirname(osp.abspath(data_path))))
    bar = ProgressBar(len(samples)) if progress and samples else None
    try:
        with _RowWriter(pending.scratch_path, len(samples),
                        sample_shape) as rows:
            results = _imap(reader, [s.path for s in samples], workers)
            for sample, (array, error) in zip(samples, results):
                error = error or _check_array(sample.path, array,
                                              sample_shape)
                if error:
                    pending.summary.skipped.append((sample.name, error))
                else:
                    rows.write(len(pending.names), array)
                    pending.names.append(sample.name)
                    pending.labels.append(int(sample.label))
                if bar is not None:
                    bar.update()
    except BaseException:
        pending.discard()
        raise
    if bar is not None:
        print()
    pending.summary.written = len(pending.names)
    return pending


def _check_array(path: str, array: np.ndarray,
                 sample_shape: Tuple[int, ...]) -> str:
    """Why a reader's array cannot be stored ('' when it can)."""
    if tuple(array.shape) != tuple(sample_shape):
        return (f'{path}: reader returned shape {array.shape}, expected '
                f'{sample_shape}')
    if not np.isfinite(array).all():
        return f'{path}: holds NaN or infinite values'
    return ''


def _make_folders(folder: str) -> List[str]:
    """``os.makedirs(folder)``; the folders it made, deepest first."""
    made = []
    while not osp.isdir(folder):
        made.append(folder)
        folder = osp.dirname(folder)
    os.makedirs(made[0] if made else folder, exist_ok=True)
    return made


@dataclass
class PendingOutput:
    """Samples read by :func:`read_samples`, not yet at their paths.

    :meth:`commit` puts them in place, :meth:`discard` drops them (and
    the folders made for them, when left empty); after either, both are
    no-ops.
    """
    summary: ConversionSummary
    scratch_path: str
    tried: int
    made_folders: List[str]
    names: List[str] = field(default_factory=list)
    labels: List[int] = field(default_factory=list)
    done: bool = False

    def commit(self, write_labels: bool = True) -> ConversionSummary:
        """Write the data file (and the ``(names, labels)`` pickle)."""
        if self.done:
            return self.summary
        data_path = self.summary.data_path
        try:
            if len(self.names) == self.tried and self.names:
                os.replace(self.scratch_path, data_path)  # nothing skipped
            else:
                scratch = np.load(self.scratch_path, mmap_mode='r')
                _write_first_rows(scratch, len(self.names), data_path)
                del scratch
        finally:
            if osp.exists(self.scratch_path):
                os.remove(self.scratch_path)
        if write_labels:
            write_pickle_atomic((self.names, self.labels),
                                self.summary.label_path)
        self.done = True
        return self.summary

    def discard(self) -> None:
        """Remove the scratch file and the empty folders made for it."""
        if self.done:
            return
        self.done = True
        if osp.exists(self.scratch_path):
            os.remove(self.scratch_path)
        for folder in self.made_folders:
            try:
                os.rmdir(folder)
            except OSError:  # not empty: something else is in it now
                break


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
