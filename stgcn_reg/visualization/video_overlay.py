"""Draw people and the current predictions onto video frames."""
from typing import Iterable, List, Optional, Sequence

import cv2
import numpy as np

from stgcn_reg.graphs import LAYOUTS

from .skeleton_renderer import person_colour

_MIN_SCORE = 0.2


def draw_people(frame: np.ndarray, people: Sequence, layout: str) -> None:
    """Draw each slot's bones and joints onto a BGR ``frame`` in place;
    joints under a low score are left out."""
    height, width = frame.shape[:2]
    edges = LAYOUTS[layout].edges
    for slot, person in enumerate(people):
        if person is None:
            continue
        colour = person_colour(slot)
        points = np.round(person.keypoints * (width, height)).astype(int)
        seen = person.scores >= _MIN_SCORE
        for i, j in edges:
            if seen[i] and seen[j]:
                cv2.line(frame, tuple(map(int, points[i])),
                         tuple(map(int, points[j])), colour, 2, cv2.LINE_AA)
        for point in points[seen]:
            cv2.circle(frame, tuple(map(int, point)), 3, colour, -1,
                       cv2.LINE_AA)


def draw_labels(frame: np.ndarray, lines: List[str],
                note: Optional[str] = None) -> None:
    """Write ``lines`` (e.g. the top-k labels) at the top left of a BGR
    ``frame``, on a dark box so they read on any background."""
    if note:
        lines = lines + [note]
    if not lines:
        return
    scale = max(0.4, frame.shape[0] / 700)
    height = int(22 * scale / 0.6)
    width = max(cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, scale,
                                1)[0][0] for line in lines)
    overlay = frame.copy()
    cv2.rectangle(overlay, (0, 0), (width + 12, height * len(lines) + 8),
                  (0, 0, 0), -1)
    cv2.addWeighted(overlay, 0.55, frame, 0.45, 0, dst=frame)
    for row, line in enumerate(lines):
        cv2.putText(frame, line, (6, height * (row + 1)),
                    cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1,
                    cv2.LINE_AA)


def write_pose_preview(frames: Iterable[np.ndarray],
                       people: Sequence[Sequence], layout: str, path: str,
                       fps: float) -> int:
    """Write RGB ``frames`` with ``people[t]`` (slot by slot, as in the pose
    file) drawn on frame ``t`` as a video at ``path``, atomically, to check
    an extraction by eye; the number of frames written.

    Raises:
        ValueError: No frames, or a ``path`` suffix that is not a video.
    """
    from .image_io import VideoFileWriter
    with VideoFileWriter(path, fps) as writer:
        for index, frame in enumerate(frames):
            image = np.ascontiguousarray(frame[..., ::-1])  # RGB -> BGR
            if index < len(people):
                draw_people(image, people[index], layout)
            draw_labels(image, [f'frame {index}'])
            writer.write(image)
        return writer.frames
