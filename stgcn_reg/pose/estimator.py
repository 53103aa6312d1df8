"""The interface every pose estimator implements: frames in, people out.

A pose estimator is a registry component (``POSE_ESTIMATORS``), built from
a config dict such as ``dict(type='MediaPipePose', layout='openpose')``.
Another estimator (an OpenPose caffemodel through ``cv2.dnn``, an ONNX
RTMPose, ...) plugs in with a decorator::

    from stgcn_reg.pose import PersonPose, PoseEstimator
    from stgcn_reg.registry import POSE_ESTIMATORS

    @POSE_ESTIMATORS.register_module()
    class MyPose(PoseEstimator):
        def __init__(self, layout='coco', max_persons=2):
            super().__init__(layout, max_persons)

        def __call__(self, frame):  # (H, W, 3) uint8 RGB
            ...
            return [PersonPose(keypoints, scores), ...]

and is then named on the command line (``--estimator MyPose``, with
``custom_imports``-style ``--import my_module``) or in a config.
"""
from dataclasses import dataclass
from typing import List, Optional

import numpy as np

from stgcn_reg.graphs import LAYOUTS

# the output layouts an estimator can be asked for
OUTPUT_LAYOUTS = ('openpose', 'coco')


@dataclass
class PersonPose:
    """One person in one frame.

    Args:
        keypoints (np.ndarray): ``(V, 2)`` float ``(x, y)`` coordinates
            divided by the frame's width and height, so in [0, 1] inside
            the frame (a joint may lie slightly outside).
        scores (np.ndarray): ``(V,)`` confidences in [0, 1]; 0 for a joint
            that was not found (its coordinates are then 0).
        track_id (int, optional): The estimator's own identity of the
            person across frames, where it tracks people; None otherwise.
    """

    keypoints: np.ndarray
    scores: np.ndarray
    track_id: Optional[int] = None

    def box(self, min_score: float = 0.3) -> np.ndarray:
        """``(x0, y0, x1, y1)`` around the joints found, in [0, 1] units."""
        found = self.scores >= min_score
        if not found.any():
            found = self.scores > 0
        if not found.any():
            return np.zeros(4)
        points = self.keypoints[found]
        return np.concatenate([points.min(0), points.max(0)])

    @property
    def score(self) -> float:
        """Mean joint confidence: how the Kinetics tools rank people."""
        return float(self.scores.mean()) if self.scores.size else 0.0


class PoseEstimator:
    """Base class: ``estimator(frame) -> list of PersonPose``.

    Args:
        layout (str): Joint layout of the output, ``openpose`` (18 joints,
            as the Kinetics-skeleton data) or ``coco`` (17).
        max_persons (int): At most this many people per frame.
    """

    def __init__(self, layout: str = 'openpose', max_persons: int = 2) -> None:
        if layout not in OUTPUT_LAYOUTS:
            raise ValueError(
                f'pose layout {layout!r} is not supported; choose one of '
                f'{", ".join(OUTPUT_LAYOUTS)}')
        if max_persons < 1:
            raise ValueError(f'max_persons must be >= 1, got {max_persons}')
        self.layout = layout
        self.num_joints = LAYOUTS[layout].num_node
        self.max_persons = max_persons

    def __call__(self, frame: np.ndarray) -> List[PersonPose]:
        """People in one ``(H, W, 3)`` uint8 RGB frame, at most
        ``max_persons``, each keeping its list position (its slot) from
        frame to frame where the estimator tracks people."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget tracked people: the next frame starts a new video."""

    def close(self) -> None:
        """Release the estimator's resources."""
