"""A training set from your own videos: class folders (or a CSV) in,
skeleton arrays, labels, class names and a ready config out."""
import csv
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.datasets.converters.gendata_outputs import (
    OutputRefusedError,
    stored_samples,
)
from stgcn_reg.utils import atomic_path, write_pickle_atomic

from .batch_extraction import ExtractionSummary, extract_many, find_videos
from .video_poses import load_pose_json
from .video_source import IMAGE_SUFFIXES, VIDEO_SUFFIXES

Clip = Tuple[str, str]  # (video file or image folder, class name)
# (N, 3, T, V, M) data, sample names, 0-based labels
SplitArrays = Tuple[np.ndarray, List[str], List[int]]


def list_labelled_videos(source: str) -> List[Clip]:
    """``source/<class>/<clip>`` (videos or image folders), or a CSV of
    ``path,label`` rows (paths relative to the CSV's folder; a header row
    ``path,label`` is allowed)."""
    if osp.isfile(source):
        return _clips_from_csv(source)
    if not osp.isdir(source):
        raise FileNotFoundError(f'video root {source!r} not found')
    clips = []
    for name in sorted(os.listdir(source)):
        folder = osp.join(source, name)
        if osp.isdir(folder):
            clips += [(video, name) for video, _ in find_videos([folder], '')]
    if not clips:
        raise ValueError(
            f'{source}: no <class name>/<clip> videos found (clips: '
            f'{", ".join(VIDEO_SUFFIXES)} or folders of '
            f'{", ".join(IMAGE_SUFFIXES)} images)')
    return clips


def _clips_from_csv(path: str) -> List[Clip]:
    folder = osp.dirname(osp.abspath(path))
    clips = []
    with open(path, newline='', encoding='utf-8') as file:
        for number, row in enumerate(csv.reader(file), 1):
            if not row or (number == 1 and row[:2] == ['path', 'label']):
                continue
            if len(row) != 2 or not row[0].strip() or not row[1].strip():
                raise ValueError(
                    f'{path}, line {number}: expected "path,label", got '
                    f'{",".join(row)!r}')
            clips.append((osp.join(folder, row[0].strip()), row[1].strip()))
    if not clips:
        raise ValueError(f'{path}: no "path,label" rows')
    return clips


def stratified_split(clips: Sequence[Clip], val_ratio: float,
                     seed: int) -> Tuple[List[Clip], List[Clip]]:
    """Per class, a seeded shuffle and ``val_ratio`` of the clips (at least
    one where a class has two or more) to validation."""
    if not 0 <= val_ratio < 1:
        raise ValueError(f'--val-ratio must be in [0, 1), got {val_ratio}')
    rng = np.random.default_rng(seed)
    by_class: Dict[str, List[Clip]] = {}
    for clip in clips:
        by_class.setdefault(clip[1], []).append(clip)
    train, val = [], []
    for name in sorted(by_class):
        members = sorted(by_class[name])
        order = rng.permutation(len(members))
        count = int(round(val_ratio * len(members)))
        if val_ratio > 0 and len(members) >= 2:
            count = min(max(count, 1), len(members) - 1)
        val += [members[i] for i in order[:count]]
        train += [members[i] for i in order[count:]]
    return train, val


def pose_cache_path(out_dir: str, clip: Clip, root: str) -> str:
    """Where a clip's extracted poses are kept for reruns."""
    video, name = clip
    relative = osp.relpath(video, root) if osp.isdir(root) else osp.join(
        name, osp.basename(video))
    stem = osp.splitext(relative)[0] if osp.isfile(video) else relative
    return osp.join(out_dir, 'poses', stem + '.json')


def extract_clips(clips: Sequence[Clip], root: str, out_dir: str,
                  estimator: dict, workers: int,
                  fps: Optional[float] = None) -> ExtractionSummary:
    """Poses of every clip (at ``fps`` frames per second if given),
    reusing those of the cache made at that rate."""
    jobs = [(video, pose_cache_path(out_dir, (video, name), root))
            for video, name in clips]
    return extract_many(jobs, estimator, workers, fps=fps)


def split_arrays(clips: Sequence[Clip], classes: List[str], root: str,
                 out_dir: str, num_frames: int, num_persons: int,
                 left_out: Optional[List[str]] = None
                 ) -> Optional[SplitArrays]:
    """``(N, 3, T, V, M)`` data, names and 0-based labels of the clips
    whose poses were extracted (None when there are none).

    A clip in which nobody was found is left out, not kept as a sample of
    zeros, and said so in ``left_out``. Sample names are the clips' paths
    below the source without the suffix (``<class>/<clip>``), so clips of
    one name in two class folders stay apart.
    """
    arrays, names, labels = [], [], []
    poses_dir = osp.join(out_dir, 'poses')
    for video, name in clips:
        path = pose_cache_path(out_dir, (video, name), root)
        if not osp.isfile(path):
            continue  # unreadable video: reported by the extraction
        poses = load_pose_json(path)
        kept = poses.frames[:num_frames]
        if all(p is None for people in kept for p in people):
            if left_out is not None:
                where = (f'any of its {len(kept)} frames'
                         if len(kept) == len(poses.frames) else
                         f'its first {len(kept)} frames (of '
                         f'{len(poses.frames)}; see --num-frames)')
                left_out.append(f'{video}: no person found in {where}')
            continue
        arrays.append(poses.to_clip(num_frames, num_persons))
        names.append(osp.splitext(osp.relpath(path, poses_dir))[0])
        labels.append(classes.index(name))
    return (np.stack(arrays), names, labels) if arrays else None


def write_splits(splits: Dict[str, Optional[SplitArrays]], out_dir: str,
                 overwrite: bool = False) -> Dict[str, int]:
    """Write ``<split>_data.npy`` and ``<split>_label.pkl`` of each split;
    the number of clips per split.

    Raises:
        OutputRefusedError: Without ``overwrite``, an existing data file
            holds more clips than this run has (a rerun after videos went
            missing); nothing is written then.
    """
    counts = {split: 0 if arrays is None else len(arrays[0])
              for split, arrays in splits.items()}
    shrinking = []
    for split, count in counts.items():
        path = osp.join(out_dir, f'{split}_data.npy')
        old = stored_samples(path)
        if old is not None and old > count:
            shrinking.append(f'{path} holds {old} clips, this run has '
                             f'{count}')
    if shrinking and not overwrite:
        raise OutputRefusedError(
            '; '.join(shrinking) + '; nothing was written (give '
            '--overwrite to replace them with fewer clips)', [])
    for split, arrays in splits.items():
        if arrays is None:
            continue
        data, names, labels = arrays
        with atomic_path(osp.join(out_dir, f'{split}_data.npy')) as temp:
            with open(temp, 'wb') as file:
                np.save(file, data)
        write_pickle_atomic((names, labels),
                            osp.join(out_dir, f'{split}_label.pkl'))
    return counts
