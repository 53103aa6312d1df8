"""Put the outputs of a gendata run in place only when that loses nothing.

A run reads every split into scratch files first (:func:`read_samples`),
then :func:`commit_outputs` refuses, writing nothing, when no sample at
all was readable, or when an existing data file holds more samples than
the one replacing it (unless ``overwrite``).
"""
import os.path as osp
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from .conversion import PendingOutput

# skipped files listed by OutputRefusedError.details
_MAX_LISTED = 10


class OutputRefusedError(ValueError):
    """A gendata run would replace its outputs with nothing, or with fewer
    samples; nothing was written.

    Args:
        message (str): One line: what was refused and why.
        skipped (sequence): ``(name, reason)`` of the files not read.
    """

    def __init__(self, message: str,
                 skipped: Sequence[Tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.skipped = list(skipped)

    def details(self) -> List[str]:
        """Lines naming the first skipped files and why."""
        lines = [f'  skipped {name}: {why}'
                 for name, why in self.skipped[:_MAX_LISTED]]
        if len(self.skipped) > _MAX_LISTED:
            lines.append(f'  ... and {len(self.skipped) - _MAX_LISTED} more')
        return lines


def stored_samples(data_path: str) -> Optional[int]:
    """Samples in an existing ``.npy`` (its header only); None when there
    is no readable file."""
    if not osp.isfile(data_path):
        return None
    try:
        return int(np.load(data_path, mmap_mode='r').shape[0])
    except (OSError, ValueError, IndexError):
        return None


def split_files(out_folder: str, split: str) -> Tuple[str, str, str]:
    """The data, label and summary file of ``split`` in ``out_folder``, as
    the Kinetics and BOLD converters name them."""
    return (osp.join(out_folder, f'{split}_data.npy'),
            osp.join(out_folder, f'{split}_label.pkl'),
            osp.join(out_folder, f'{split}_gendata_summary.json'))


@contextmanager
def staged_outputs() -> Iterator[List[PendingOutput]]:
    """A list for a run's pending outputs; those not committed when the
    block ends (an error, a refusal) are discarded."""
    pending: List[PendingOutput] = []
    try:
        yield pending
    finally:
        for output in reversed(pending):  # later ones may sit in folders
            output.discard()              # the earlier ones made


def _distinct(skipped: Sequence[Tuple[str, str]]) -> List[Tuple[str, str]]:
    return list(dict(skipped).items())


def commit_outputs(pending: Sequence[PendingOutput], source: str,
                   overwrite: bool = False,
                   other_skips: Sequence[Tuple[str, str]] = (),
                   write_labels: bool = True) -> None:
    """Check the run's outputs, then commit them all.

    Args:
        pending (sequence): Every output of the run.
        source (str): The raw data read (for the message).
        overwrite (bool): Replace data files holding more samples.
        other_skips (sequence): ``(name, reason)`` of inputs left out
            before reading (bad names, label entries, CSV rows).
        write_labels (bool): Also write each ``(names, labels)`` pickle.

    Raises:
        OutputRefusedError: No sample was readable, or (without
            ``overwrite``) a data file would lose samples. Nothing is
            written then; the caller discards ``pending``.
    """
    skipped = _distinct([*other_skips,
                         *(s for p in pending for s in p.summary.skipped)])
    if not any(output.summary.written for output in pending):
        raise OutputRefusedError(
            f'no sample of {source!r} could be read ({len(skipped)} '
            'skipped); nothing was written and earlier outputs are kept',
            skipped)
    shrinking: Dict[str, Tuple[int, int]] = {}
    for output in pending:
        old = stored_samples(output.summary.data_path)
        if old is not None and old > output.summary.written:
            shrinking[output.summary.data_path] = old, output.summary.written
    if shrinking and not overwrite:
        files = '; '.join(f'{path} holds {old} samples, this run has {new}'
                          for path, (old, new) in shrinking.items())
        raise OutputRefusedError(
            f'{files}; nothing was written (give --overwrite to replace '
            'them with fewer samples)', skipped)
    for output in pending:
        output.commit(write_labels)
