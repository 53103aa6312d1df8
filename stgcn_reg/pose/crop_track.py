"""One person followed by its own tracking BlazePose on a crop of the frame.

BlazePose finds one person per image. Several people are found by giving
each its own tracker that only sees a window around that person: on a crop
the landmark model locks onto the right person, where a second search of
the whole (masked) frame can land on the first one's remains.
"""
from typing import Any, Optional, Tuple

import numpy as np

Box = Tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels


def box_of(points: np.ndarray) -> np.ndarray:
    """``(x0, y0, x1, y1)`` around ``(V, 2)`` points."""
    return np.concatenate([points.min(0), points.max(0)])


def iou(first: np.ndarray, second: np.ndarray) -> float:
    """Intersection over union of two ``(x0, y0, x1, y1)`` boxes."""
    x0, y0 = np.maximum(first[:2], second[:2])
    x1, y1 = np.minimum(first[2:], second[2:])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    areas = [max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])
             for b in (first, second)]
    union = areas[0] + areas[1] - inter
    return float(inter / union) if union > 0 else 0.0


def window_around(box: np.ndarray, width: int, height: int,
                  scale: float = 1.6, min_side: int = 96) -> Box:
    """A square window ``scale`` times the box's longer side, centred on
    it and clamped to the frame."""
    centre = (box[:2] + box[2:]) / 2
    side = max(min_side, scale * float(max(box[2] - box[0],
                                           box[3] - box[1])))
    side = min(side, max(width, height))
    x0 = int(np.clip(centre[0] - side / 2, 0, max(0, width - side)))
    y0 = int(np.clip(centre[1] - side / 2, 0, max(0, height - side)))
    return (x0, y0, min(width, int(x0 + side)), min(height, int(y0 + side)))


def _inside(box: np.ndarray, window: Box, margin: float = 0.1) -> bool:
    """Whether ``box`` lies in the inner part of ``window`` and fills
    enough of it that the landmark model sees the person large."""
    x0, y0, x1, y1 = window
    w, h = x1 - x0, y1 - y0
    inner = (box[0] >= x0 + margin * w and box[1] >= y0 + margin * h
             and box[2] <= x1 - margin * w and box[3] <= y1 - margin * h)
    large = max(box[2] - box[0], box[3] - box[1]) >= 0.35 * max(w, h)
    return inner and large


class CropTrack:
    """A BlazePose instance in tracking mode that sees only ``window``.

    The window moves only when the person nears its edge or shrinks in it,
    so the instance's own frame-to-frame tracking sees small shifts only;
    after a miss it widens around the last place the person was seen.

    Args:
        make_pose (callable): Builds a tracking-mode BlazePose.
        window (tuple): First crop window in pixels.
        track_id (int): Identity kept while the person is followed.
    """

    def __init__(self, make_pose: Any, window: Box, track_id: int) -> None:
        self._make_pose = make_pose
        self._pose = make_pose()
        self.window = window
        self.track_id = track_id
        self.box: Optional[np.ndarray] = None
        self.misses = 0

    def follow(self, frame: np.ndarray
               ) -> Optional[Tuple[np.ndarray, np.ndarray]]:
        """``(33, 2)`` landmark pixels and ``(33,)`` visibilities, or None."""
        x0, y0, x1, y1 = self.window
        crop = np.ascontiguousarray(frame[y0:y1, x0:x1])
        result = self._pose.process(crop)
        if result.pose_landmarks is None:
            self.misses += 1
            self._widen(frame.shape[1], frame.shape[0])
            return None
        landmarks = result.pose_landmarks.landmark
        points = np.array([(p.x, p.y) for p in landmarks], np.float32)
        points = points * (x1 - x0, y1 - y0) + (x0, y0)
        scores = np.clip(
            np.array([p.visibility for p in landmarks], np.float32), 0, 1)
        self.misses = 0
        self.box = box_of(points)
        self._keep_in_view(frame.shape[1], frame.shape[0])
        return points, scores

    def _keep_in_view(self, width: int, height: int) -> None:
        """Re-centre the window on the person when they near its edge."""
        if self.box is not None and not _inside(self.box, self.window):
            self.window = window_around(self.box, width, height)

    def _widen(self, width: int, height: int) -> None:
        """After a miss, look twice as wide around the last place."""
        if self.box is not None:
            self.window = window_around(self.box, width, height,
                                        1.6 * 2**self.misses)

    def close(self) -> None:
        """Release the BlazePose instance."""
        self._pose.close()
