"""Poses of many videos: find them, extract in parallel, summarise."""
import json
import multiprocessing
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .video_source import IMAGE_SUFFIXES, VIDEO_SUFFIXES, VideoReadError

Job = Tuple[str, str]  # (video file or image folder, output JSON path)


def find_videos(inputs: Sequence[str], out_dir: str) -> List[Job]:
    """Each video under ``inputs`` with the JSON path it gets.

    A file gives ``out_dir/<name>.json``; a folder is searched
    recursively and keeps its tree (``root/a/b.mp4`` ->
    ``out_dir/root/a/b.json``); a folder holding images and no videos is
    one video of those images.

    Raises:
        FileNotFoundError: An input that does not exist.
        ValueError: Two videos that would write the same JSON (files of
            one name from two folders, or ``a.mp4`` beside ``a.avi``).
    """
    jobs: List[Job] = []
    for item in inputs:
        if osp.isfile(item):
            name = _stem(osp.basename(item))
            jobs.append((item, osp.join(out_dir, name + '.json')))
        elif osp.isdir(item):
            top = osp.basename(osp.normpath(item))
            for source in _videos_in(item):
                relative = osp.relpath(source, item)
                name = top if relative == '.' else osp.join(top, relative)
                jobs.append((source, osp.join(out_dir, _stem(name) + '.json')))
        else:
            raise FileNotFoundError(f'input {item!r} not found')
    sources: dict = {}
    for source, out_path in jobs:
        first = sources.setdefault(osp.normpath(out_path), source)
        if first != source:
            raise ValueError(
                f'{first} and {source} would both be written to {out_path}; '
                'give their folder instead, or rename one')
    return jobs


def _stem(path: str) -> str:
    root, suffix = osp.splitext(path)
    return root if suffix.lower() in VIDEO_SUFFIXES else path


def _videos_in(folder: str) -> Iterator[str]:
    """Video files below ``folder``, and image folders holding no video."""
    for current, folders, names in os.walk(folder):
        folders.sort()
        videos = sorted(n for n in names if n.lower().endswith(VIDEO_SUFFIXES))
        images = [n for n in names if n.lower().endswith(IMAGE_SUFFIXES)]
        for name in videos:
            yield osp.join(current, name)
        if images and not videos:
            yield current


def already_done(path: str, fps: Optional[float] = None) -> bool:
    """Whether ``path`` holds a complete pose JSON (writes are atomic),
    at ``fps`` frames per second if given (a file of another rate, e.g.
    from a run with another ``--fps``, is made again)."""
    try:
        with open(path, encoding='utf-8') as file:
            content = json.load(file)
        complete = isinstance(content.get('data'), list)
        if not complete or not fps:
            return complete
        return abs(float(content.get('fps', 0.0)) - fps) <= 1e-3 * fps
    except (OSError, ValueError, AttributeError, TypeError):
        return False


@dataclass
class ExtractionSummary:
    """What a batch extraction did."""

    written: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    failed: Dict[str, str] = field(default_factory=dict)
    frames: int = 0
    frames_without_person: int = 0
    seconds: float = 0.0

    def lines(self) -> List[str]:
        """Human-readable summary, one fact per line."""
        fps = self.frames / self.seconds if self.seconds else 0.0
        out = [f'videos: {len(self.written)} written, {len(self.skipped)} '
               f'already done, {len(self.failed)} unreadable',
               f'frames: {self.frames} ({self.frames_without_person} '
               f'without a person), pose estimation {self.seconds:.1f} s '
               f'({fps:.1f} frames/s per worker)']
        out += [f'skipped {source}: {why}'
                for source, why in self.failed.items()]
        return out


_WORKER: dict = {}


def _start_worker(estimator_cfg: dict, fps: Optional[float]) -> None:
    from stgcn_reg.registry import POSE_ESTIMATORS
    _WORKER['estimator'] = POSE_ESTIMATORS.build(dict(estimator_cfg))
    _WORKER['fps'] = fps


def _extract_one(job: Job) -> Tuple[str, Optional[str], int, int, float]:
    """(source, error or None, frames, frames without person, seconds)."""
    from .video_poses import extract_video_poses, write_kinetics_json
    source, out_path = job
    try:
        poses = extract_video_poses(_WORKER['estimator'], source,
                                    _WORKER['fps'])
    except VideoReadError as error:
        return source, str(error), 0, 0, 0.0
    write_kinetics_json(poses, out_path)
    return (source, None, len(poses.frames), poses.frames_without_person,
            poses.seconds)


def extract_many(jobs: Sequence[Job], estimator_cfg: dict, workers: int = 1,
                 progress: bool = True,
                 fps: Optional[float] = None) -> ExtractionSummary:
    """Extract every job not done yet (at ``fps`` frames per second if
    given); unreadable videos are reported."""
    summary = ExtractionSummary()
    todo = []
    for source, out_path in jobs:
        if already_done(out_path, fps):
            summary.skipped.append(source)
        else:
            todo.append((source, out_path))
    if not todo:
        return summary
    outputs = dict(todo)
    bar = _progress_bar(len(todo)) if progress else None
    for source, error, frames, empty, seconds in _run(todo, estimator_cfg,
                                                     workers, fps):
        if error is None:
            summary.written.append(outputs[source])
            summary.frames += frames
            summary.frames_without_person += empty
            summary.seconds += seconds
        else:
            summary.failed[source] = error
        if bar is not None:
            bar.update()
    return summary


def _run(todo: List[Job], estimator_cfg: dict, workers: int,
         fps: Optional[float]) -> Iterator:
    if workers <= 1 or len(todo) == 1:
        _start_worker(estimator_cfg, fps)
        try:
            yield from map(_extract_one, todo)
        finally:
            _WORKER.pop('estimator').close()
        return
    context = multiprocessing.get_context('spawn')
    with context.Pool(min(workers, len(todo)), _start_worker,
                      (estimator_cfg, fps)) as pool:
        yield from pool.imap_unordered(_extract_one, todo)


def _progress_bar(total: int):
    from mmengine.utils import ProgressBar
    return ProgressBar(total)
