"""The poses of a whole video, and their Kinetics-skeleton JSON form."""
import json
import time
from dataclasses import dataclass
from typing import Iterable, List, Optional

import numpy as np

from stgcn_reg.graphs import LAYOUTS
from stgcn_reg.utils import write_json_atomic

from .estimator import PersonPose, PoseEstimator
from .slots import SlotAssigner, rank_slots

Frames = List[List[Optional[PersonPose]]]


@dataclass
class VideoPoses:
    """Per frame, one entry per slot: the person there, or None.

    Attributes:
        frames (list): ``frames[t][m]``: slot m's person in frame t.
        layout (str): Joint layout of every person.
        fps (float): Frames per second of the video.
        size (tuple): ``(width, height)`` of the frames.
        seconds (float): Time the estimation took.
        source (str): The video it came from.
    """

    frames: Frames
    layout: str
    fps: float = 30.0
    size: tuple = (0, 0)
    seconds: float = 0.0
    source: str = ''

    @property
    def frames_without_person(self) -> int:
        """Frames in which nobody was found."""
        return sum(all(p is None for p in people) for people in self.frames)

    def to_array(self, num_frames: Optional[int] = None,
                 centre: bool = False) -> np.ndarray:
        """``(3, T, V, M)`` float32: x, y, score; zeros where nobody is.

        Args:
            num_frames (int, optional): T; longer videos are cut, shorter
                ones padded with zeros. Defaults to the video's length.
            centre (bool): Subtract 0.5 from x and y of the joints found,
                as the Kinetics-skeleton feeder does, so a model trained on
                Kinetics sees the same kind of input.
        """
        length = num_frames or len(self.frames)
        slots = len(self.frames[0]) if self.frames else 1
        joints = LAYOUTS[self.layout].num_node
        out = np.zeros((3, length, joints, slots), np.float32)
        for t, people in enumerate(self.frames[:length]):
            for m, person in enumerate(people):
                if person is not None:
                    found = person.scores > 0
                    shift = 0.5 if centre else 0.0
                    out[:2, t, found, m] = person.keypoints[found].T - shift
                    out[2, t, :, m] = person.scores
        return out

    def to_clip(self, num_frames: int, num_persons: int) -> np.ndarray:
        """``(3, num_frames, V, num_persons)``, centred as the Kinetics
        feeder's input (:meth:`to_array`), slots beyond ``num_persons``
        dropped and missing ones zero: one sample of a video dataset."""
        data = self.to_array(num_frames, centre=True)[..., :num_persons]
        return np.pad(data, ((0, 0), (0, 0), (0, 0),
                             (0, num_persons - data.shape[-1])))

    def to_kinetics_json(self, label: str = 'unknown',
                         label_index: int = -1) -> dict:
        """The reference demo's format: 0-based ``frame_index``, per person
        ``pose`` (x0, y0, x1, y1, ...) and ``score``; a slot empty in a
        frame before a filled one is written as zeros with score 0, so
        each person keeps their position in the list."""
        data = []
        joints = LAYOUTS[self.layout].num_node
        for index, people in enumerate(self.frames):
            last = max((m for m, p in enumerate(people) if p is not None),
                       default=-1)
            skeleton = [_person_entry(people[m], joints)
                        for m in range(last + 1)]
            data.append(dict(frame_index=index, skeleton=skeleton))
        return dict(data=data, label=label, label_index=label_index,
                    layout=self.layout, fps=self.fps,
                    size=list(self.size))


def _person_entry(person: Optional[PersonPose], joints: int) -> dict:
    if person is None:
        return dict(pose=[0.0] * (2 * joints), score=[0.0] * joints)
    pose = np.round(person.keypoints.astype(float), 4).reshape(-1)
    return dict(pose=pose.tolist(),
                score=np.round(person.scores.astype(float), 4).tolist())


def estimate_video(estimator: PoseEstimator, frames: Iterable[np.ndarray],
                   max_persons: Optional[int] = None) -> Frames:
    """Run ``estimator`` on every frame; stable, ranked slots."""
    slots = SlotAssigner(max_persons or estimator.max_persons)
    estimator.reset()
    people = [slots(estimator(frame)) for frame in frames]
    estimator.reset()
    return rank_slots(people)


def extract_video_poses(estimator: PoseEstimator, source: str,
                        fps: Optional[float] = None) -> VideoPoses:
    """Poses of every frame of a video file, folder, camera or stream,
    at ``fps`` frames per second if given (see
    :class:`~stgcn_reg.pose.video_source.VideoSource`)."""
    from .video_source import VideoSource
    start = time.perf_counter()
    with VideoSource(source, fps) as video:
        frames = estimate_video(estimator, video)
        fps, size = video.fps, video.size
    return VideoPoses(frames, estimator.layout, fps, size,
                      time.perf_counter() - start, source)


def write_kinetics_json(poses: VideoPoses, path: str, label: str = 'unknown',
                        label_index: int = -1) -> None:
    """Write ``poses`` to ``path`` atomically (temp file + rename)."""
    write_json_atomic(poses.to_kinetics_json(label, label_index), path)


def load_pose_json(path: str) -> VideoPoses:
    """Read back a JSON written by :func:`write_kinetics_json`, each person
    in their slot (its list position), all-zero entries as empty slots."""
    with open(path, encoding='utf-8') as file:
        content = json.load(file)
    layout = content.get('layout', 'openpose')
    joints = LAYOUTS[layout].num_node
    entries = content.get('data') or []
    slots = max((len(f.get('skeleton', [])) for f in entries), default=1)
    frames: Frames = []
    for entry in sorted(entries, key=lambda f: f['frame_index']):
        people: List[Optional[PersonPose]] = [None] * max(slots, 1)
        for m, skeleton in enumerate(entry.get('skeleton', [])):
            scores = np.asarray(skeleton['score'], np.float32)
            if scores.size == joints and scores.any():
                points = np.asarray(skeleton['pose'], np.float32)
                people[m] = PersonPose(points.reshape(joints, 2), scores)
        frames.append(people)
    return VideoPoses(frames, layout, content.get('fps', 30.0),
                      tuple(content.get('size', (0, 0))), source=path)
