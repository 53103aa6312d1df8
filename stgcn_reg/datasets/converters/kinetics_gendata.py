"""Convert the Kinetics-skeleton release into ``.npy`` + label pickles.

Release layout under ``data_path``: ``kinetics_{split}/`` (one JSON per
video) and ``kinetics_{split}_label.json``. Per split this writes
``{split}_data.npy`` (float32 ``(N, 3, 300, 18, 2)``), ``{split}_label.pkl``
(``(sample_names, labels)``, names being the JSON file names as in the
reference tool) and ``{split}_gendata_summary.json`` listing every skipped
video with its reason.
"""

import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.utils import write_json_atomic

from ..readers.kinetics_json import (
    OPENPOSE,
    check_read_options,
    read_kinetics_video,
)
from ..readers.kinetics_labels import load_label_index
from .conversion import (
    ConversionSummary,
    PendingOutput,
    SampleToConvert,
    read_samples,
)
from .gendata_outputs import commit_outputs, split_files, staged_outputs


@dataclass
class _Reader:
    """Picklable reader for :func:`convert_samples` noting dropped frames.

    Worker processes hand back only arrays, so a video with frames past the
    limit is noted as one JSON line in ``report_path``; a single short
    ``O_APPEND`` write keeps lines from concurrent workers whole.
    """

    report_path: str
    max_frames: int
    num_person_in: int
    num_person_out: int
    frame_index_base: int

    def __call__(self, path: str) -> np.ndarray:
        array, dropped = read_kinetics_video(
            path,
            self.max_frames,
            self.num_person_in,
            self.num_person_out,
            self.frame_index_base,
        )
        if dropped:
            line = json.dumps([path, dropped]) + '\n'
            fd = os.open(
                self.report_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
            )
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        return array


def _video_id(file_name: str) -> str:
    return file_name[: -len('.json')]


def _split_inputs(data_path: str, split: str) -> Tuple[str, str]:
    """The JSON folder and label file of ``split``; both must exist."""
    folder = osp.join(data_path, f'kinetics_{split}')
    label_json = osp.join(data_path, f'kinetics_{split}_label.json')
    for path, what, exists in (
        (folder, 'folder', osp.isdir),
        (label_json, 'label file', osp.isfile),
    ):
        if not exists(path):
            raise FileNotFoundError(
                f'split {split!r}: {what} {path!r} not found (expected the '
                f'release layout kinetics_{split}/ + '
                f'kinetics_{split}_label.json under {data_path!r})'
            )
    return folder, label_json


def _select(
    split: str, data_path: str, settings: Dict[str, int]
) -> Tuple[list, Dict[str, Any]]:
    """Samples of ``split`` sorted by video id, and a summary noting the
    videos the label file leaves out."""
    folder, label_json = _split_inputs(data_path, split)
    labels = load_label_index(label_json)
    files = sorted(
        (f for f in os.listdir(folder) if f.endswith('.json')), key=_video_id
    )
    samples, skipped = [], []
    for file_name in files:
        entry = labels.get(_video_id(file_name))
        if entry is None:
            reason = f'not in {osp.basename(label_json)}'
        elif not entry['has_skeleton']:
            reason = 'has_skeleton is false'
        elif entry['label_index'] < 0:
            reason = f'label_index {entry["label_index"]} is not a class'
        else:
            samples.append(
                SampleToConvert(
                    osp.join(folder, file_name),
                    file_name,
                    entry['label_index'],
                )
            )
            continue
        skipped.append(dict(name=file_name, reason=reason, stage='label'))
    summary = dict(
        split=split,
        json_folder=folder,
        label_json=label_json,
        settings=settings,
        json_files=len(files),
        skipped=skipped,
        labels_without_file=sorted(set(labels) - set(map(_video_id, files))),
    )
    return samples, summary


def _read_dropped(report_path: str) -> Dict[str, int]:
    if not osp.exists(report_path):
        return {}
    with open(report_path) as file:
        pairs = [json.loads(line) for line in file if line.strip()]
    return {osp.basename(path): count for path, count in sorted(pairs)}


def _read(
    samples: list,
    summary: Dict[str, Any],
    out_folder: str,
    workers: Optional[int],
    progress: bool,
) -> PendingOutput:
    """Read one split into a scratch file; note its dropped frames."""
    split, settings = summary['split'], summary['settings']
    report_path = osp.join(
        out_folder, f'.{split}_dropped_frames.{os.getpid()}.jsonl'
    )
    reader = _Reader(report_path, **settings)
    try:
        if osp.exists(report_path):  # left by a killed run with our pid
            os.remove(report_path)
        pending = read_samples(
            samples,
            reader,
            (
                OPENPOSE.channels,
                settings['max_frames'],
                OPENPOSE.num_node,
                settings['num_person_out'],
            ),
            *split_files(out_folder, split)[:2],
            workers=workers,
            progress=progress,
        )
        summary['dropped_frames'] = _read_dropped(report_path)
    finally:
        if osp.exists(report_path):
            os.remove(report_path)
    return pending


def _finish(summary: Dict[str, Any], result: ConversionSummary,
            out_folder: str) -> None:
    """Complete a written split's summary and save it."""
    summary['skipped'] = sorted(
        summary['skipped']
        + [
            dict(name=name, reason=reason, stage='read')
            for name, reason in result.skipped
        ],
        key=lambda skip: _video_id(skip['name']),
    )
    summary.update(
        data_path=result.data_path,
        label_path=result.label_path,
        written=result.written,
    )
    summary_path = split_files(out_folder, summary['split'])[2]
    write_json_atomic(summary, summary_path, indent=1)
    summary['summary_path'] = summary_path


def generate_kinetics(
    data_path: str,
    out_folder: str,
    splits: Sequence[str] = ('train', 'val'),
    workers: Optional[int] = None,
    progress: bool = True,
    max_frames: int = 300,
    num_person_in: int = 5,
    num_person_out: int = 2,
    frame_index_base: int = 1,
    overwrite: bool = False,
) -> Dict[str, dict]:
    """Convert each split of a Kinetics-skeleton release.

    Only videos whose label entry has ``has_skeleton`` true are read; the
    label is their ``label_index``. Videos without a label entry, with
    ``has_skeleton`` false, or whose file is malformed or holds no skeleton
    are skipped and reported; frames past ``max_frames`` are dropped and
    the video listed under ``dropped_frames``. Output order is by video id.

    Args:
        data_path (str): Folder of the release layout.
        out_folder (str): Where the outputs go.
        splits (sequence): Splits to convert. Defaults to train and val.
        workers (int, optional): Reader processes. Defaults to all CPUs.
        progress (bool): Show progress bars. Defaults to True.
        max_frames (int): Frames T per sample. Defaults to 300.
        num_person_in (int): Skeletons read per frame. Defaults to 5.
        num_person_out (int): Persons M kept per frame. Defaults to 2.
        frame_index_base (int): 1 for the official release, 0 for
            OpenPose-demo output. Defaults to 1.
        overwrite (bool): Replace a data file holding more samples than
            this run's. Defaults to False.

    Returns:
        dict: Per split, the summary also saved as
        ``{split}_gendata_summary.json``: counts, settings, ``skipped``
        (name, reason, stage ``label`` or ``read``), ``dropped_frames``
        (name -> frames past the limit) and ``labels_without_file``.

    Raises:
        FileNotFoundError: A split's folder or label file is missing.
        SkeletonFormatError: A label file is malformed.
        Both are checked for every split before anything is written.
        OutputRefusedError: No video was readable, or an output would lose
            samples (see :func:`commit_outputs`); nothing is written.
    """
    check_read_options(max_frames, num_person_in, num_person_out,
                       frame_index_base)
    settings = dict(max_frames=max_frames, num_person_in=num_person_in,
                    num_person_out=num_person_out,
                    frame_index_base=frame_index_base)
    selected = [
        _select(split, data_path, settings) for split in dict.fromkeys(splits)
    ]
    outputs = _read_and_commit(selected, data_path, out_folder, workers,
                               progress, overwrite)
    for (_, summary), output in zip(selected, outputs):
        _finish(summary, output.summary, out_folder)
    return {summary['split']: summary for _, summary in selected}


def _read_and_commit(selected: List[Tuple[list, Dict[str, Any]]],
                     data_path: str, out_folder: str, workers: Optional[int],
                     progress: bool, overwrite: bool) -> List[PendingOutput]:
    """Read every selected split, then put all in place (or none)."""
    with staged_outputs() as pending:
        for samples, summary in selected:
            pending.append(
                _read(samples, summary, out_folder, workers, progress)
            )
        label_skips = [
            (skip['name'], skip['reason'])
            for _, summary in selected
            for skip in summary['skipped']
        ]
        commit_outputs(pending, data_path, overwrite, label_skips)
    return pending
