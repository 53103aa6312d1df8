"""Convert a BOLD release (annotation CSVs + joint files) to .npy + labels.

Per split this writes ``{split}_data.npy`` (float32 ``(N, 3, T, 18, 1)``:
x, y, confidence of the annotated person, see
:func:`~stgcn_reg.datasets.readers.bold.read_bold_clip`),
``{split}_label.pkl`` (see :mod:`~stgcn_reg.datasets.readers.bold_labels`) and
``{split}_gendata_summary.json`` listing every skipped row with its reason.
"""
import os.path as osp
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from stgcn_reg.utils import write_json_atomic

from ..readers.bold import (
    CATEGORY_NAMES,
    FRAME_RANGES,
    OPENPOSE,
    clip_key,
    read_bold_clip,
    read_bold_csv,
)
from ..readers.bold_labels import positive_rates, write_bold_labels
from .conversion import PendingOutput, SampleToConvert, read_samples
from .gendata_outputs import commit_outputs, split_files, staged_outputs

# split -> (annotation file, has labels)
SPLIT_FILES = {
    'train': ('train.csv', True),
    'val': ('val.csv', True),
    'test': ('test_meta.csv', False),
}
_MAX_PRINTED = 10


@dataclass
class _ClipReader:
    """Picklable reader of one clip key for :func:`convert_samples`."""
    num_frames: int
    frame_range: str

    def __call__(self, key: str) -> np.ndarray:
        return read_bold_clip(key, self.num_frames, self.frame_range)


def _csv_path(data_path: str, split: str) -> str:
    if split not in SPLIT_FILES:
        raise ValueError(f'unknown split {split!r}; expected one of '
                         f'{sorted(SPLIT_FILES)}')
    path = osp.join(data_path, 'annotations', SPLIT_FILES[split][0])
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'split {split!r}: annotation file {path!r} not found (expected '
            f'annotations/{SPLIT_FILES[split][0]} and joints/ under '
            f'{data_path!r})')
    return path


def _write_json(content: Dict[str, Any], path: str) -> None:
    write_json_atomic(content, path, indent=1)


@dataclass
class _SplitRead:
    """One split read into a scratch file, with what its summary needs."""
    split: str
    csv_path: str
    joints_root: str
    rows: list
    csv_rows: int
    skipped: List[Dict[str, Any]]
    pending: PendingOutput


def _read_split(split: str, csv_path: str, data_path: str,
                out_folder: str, settings: Dict[str, Any],
                workers: Optional[int], progress: bool) -> _SplitRead:
    """Read one split's CSV and clips; nothing is put in place yet."""
    rows, errors = read_bold_csv(csv_path, SPLIT_FILES[split][1])
    csv_name = osp.relpath(csv_path, data_path)
    skipped: List[Dict[str, Any]] = [
        dict(name=f'{csv_name}, line {line}', reason=reason, stage='csv')
        for line, reason in errors
    ]
    joints_root = osp.join(data_path, 'joints')
    samples = [
        SampleToConvert(
            clip_key(osp.join(joints_root, row.joints_path), row), row.name,
            index) for index, row in enumerate(rows)
    ]
    # the converter keeps (names, row indices); the real labels follow
    pending = read_samples(
        samples, _ClipReader(settings['num_frames'], settings['frame_range']),
        (OPENPOSE.channels, settings['num_frames'], OPENPOSE.num_node, 1),
        *split_files(out_folder, split)[:2], workers=workers,
        progress=progress)
    return _SplitRead(split, csv_path, joints_root, rows,
                      len(rows) + len(errors), skipped, pending)


def _finish_split(read: _SplitRead, out_folder: str,
                  settings: Dict[str, Any]) -> Dict[str, Any]:
    """Write a committed split's labels and summary; return the summary."""
    result = read.pending.summary
    labelled = SPLIT_FILES[read.split][1]
    kept = [read.rows[i] for i in read.pending.labels]
    targets = {}
    if labelled:
        targets = dict(
            categories=np.array([r.categories for r in kept],
                                np.float32).reshape(-1, len(CATEGORY_NAMES)),
            dimensions=np.array([r.dimensions for r in kept],
                                np.float32).reshape(-1, 3))
    write_bold_labels(result.label_path, read.pending.names, **targets)
    skipped = read.skipped + [
        dict(name=name, reason=reason, stage='read')
        for name, reason in result.skipped
    ]
    summary = dict(
        split=read.split, csv=read.csv_path, joints_root=read.joints_root,
        settings=settings, rows=read.csv_rows, written=result.written,
        data_path=result.data_path, label_path=result.label_path,
        skipped=skipped)
    if labelled:
        rates = positive_rates(targets['categories'])
        summary['positive_rate'] = dict(
            zip(CATEGORY_NAMES, np.round(rates, 4).tolist()))
    summary['summary_path'] = split_files(out_folder, read.split)[2]
    _write_json(summary, summary['summary_path'])
    return summary


def generate_bold(data_path: str,
                  out_folder: str,
                  splits: Sequence[str] = ('train', 'val'),
                  num_frames: int = 300,
                  frame_range: str = 'annotation',
                  workers: Optional[int] = None,
                  progress: bool = True,
                  overwrite: bool = False) -> Dict[str, Dict[str, Any]]:
    """Convert each split of a BOLD release.

    Malformed or repeated CSV rows are reported with file and line and
    skipped; rows whose joint file is missing or malformed, or whose
    person has no frame in the clip, are reported with the joint file and
    the reason and skipped. Output order is CSV order.

    Args:
        data_path (str): The release root, holding ``annotations/`` and
            ``joints/``.
        out_folder (str): Where the outputs go.
        splits (sequence): Of ``train``, ``val`` and ``test``
            (``test_meta.csv``, written without targets). Defaults to
            train and val.
        num_frames (int): Frames T per sample (longer clips are sampled
            evenly, shorter ones zero padded). Defaults to 300.
        frame_range (str): ``'annotation'`` (frames min_frame..max_frame)
            or ``'all'`` (every frame of the person). Defaults to
            ``'annotation'``.
        workers (int, optional): Reader processes. Defaults to all CPUs.
        progress (bool): Show progress bars. Defaults to True.
        overwrite (bool): Replace a data file holding more samples than
            this run's. Defaults to False.

    Returns:
        dict: Per split, the summary also saved as
        ``{split}_gendata_summary.json``: counts, settings, ``skipped``
        (name, reason, stage ``csv`` or ``read``) and, for labelled
        splits, each category's ``positive_rate`` (score >= 0.5).

    Raises:
        FileNotFoundError: An annotation file is missing (checked for all
            splits before anything is written).
        ValueError: A setting is out of range.
        OutputRefusedError: No clip was readable, or an output would lose
            samples (see :func:`commit_outputs`); nothing is written.
    """
    settings = _settings(num_frames, frame_range)
    csv_paths = {split: _csv_path(data_path, split) for split in splits}
    reads: List[_SplitRead] = []
    with staged_outputs() as pending:
        for split, csv_path in csv_paths.items():
            reads.append(_read_split(split, csv_path, data_path, out_folder,
                                     settings, workers, progress))
            pending.append(reads[-1].pending)
        csv_skips = [(skip['name'], skip['reason'])
                     for read in reads for skip in read.skipped]
        commit_outputs(pending, data_path, overwrite, csv_skips,
                       write_labels=False)
    return {read.split: _finish_split(read, out_folder, settings)
            for read in reads}


def _settings(num_frames: int, frame_range: str) -> Dict[str, Any]:
    """The checked conversion settings, as the summaries record them."""
    if not isinstance(num_frames, int) or num_frames < 1:
        raise ValueError(f'num_frames must be a positive integer, got '
                         f'{num_frames!r}')
    if frame_range not in FRAME_RANGES:
        raise ValueError(f'frame_range must be one of {FRAME_RANGES}, got '
                         f'{frame_range!r}')
    return dict(num_frames=num_frames, frame_range=frame_range)


def format_bold_summary(summary: Dict[str, Any]) -> str:
    """Multi-line text of one split's summary from :func:`generate_bold`."""
    lines = [
        f'{summary["split"]}: {summary["written"]} of {summary["rows"]} '
        f'rows written to {summary["data_path"]} and '
        f'{summary["label_path"]}'
    ]
    skipped = summary['skipped']
    if skipped:
        lines.append(f'  skipped {len(skipped)}:')
        lines += [f'    {skip["name"]}: {skip["reason"]}'
                  for skip in skipped[:_MAX_PRINTED]]
        if len(skipped) > _MAX_PRINTED:
            lines.append(f'    ... and {len(skipped) - _MAX_PRINTED} more')
    rates = summary.get('positive_rate')
    if rates:
        absent = [name for name, rate in rates.items() if rate == 0]
        if absent:
            lines.append('  categories without a positive sample (score >= '
                         f'0.5): {", ".join(absent)}')
    lines.append(f'  details: {summary["summary_path"]}')
    return '\n'.join(lines)
