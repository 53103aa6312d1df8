"""MediaPipe BlazePose as a pose estimator, several people tracked."""
from typing import Any, List, Optional

import numpy as np

from stgcn_reg.registry import POSE_ESTIMATORS

from .backend_imports import import_mediapipe
from .crop_track import Box, CropTrack, box_of, iou, window_around
from .estimator import PersonPose, PoseEstimator
from .keypoint_maps import from_blazepose
from .native_log_filter import QuietFirstFrame

_MASK_GRAY = 127


@POSE_ESTIMATORS.register_module()
class MediaPipePose(PoseEstimator):
    """BlazePose from mediapipe 0.10.14 (models inside the wheel, offline).

    The first person is found on the whole frame; every person is then
    followed by its own tracking BlazePose on a window around them
    (:class:`CropTrack`). While fewer than ``max_persons`` are followed,
    every ``search_interval`` frames the frame is searched again with the
    followed people greyed out, and a person found there gets a tracker of
    their own. The 33 BlazePose landmarks become the ``layout`` joints
    (:mod:`stgcn_reg.pose.keypoint_maps`); scores are their visibilities.

    Args:
        layout (str): ``openpose`` (18 joints) or ``coco`` (17).
        max_persons (int): At most this many people. Defaults to 2.
        model_complexity (int): BlazePose lite (0) or full (1, the one in
            the wheel; mediapipe downloads lite on first use, which needs
            internet once). Defaults to 1.
        min_detection_confidence (float): Person detector threshold.
        min_tracking_confidence (float): Below this a tracker searches its
            window again.
        search_interval (int): Frames between searches for more people.
        max_misses (int): A person not found in this many frames in a row
            is dropped.
    """

    def __init__(self,
                 layout: str = 'openpose',
                 max_persons: int = 2,
                 model_complexity: int = 1,
                 min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5,
                 search_interval: int = 5,
                 max_misses: int = 3) -> None:
        super().__init__(layout, max_persons)
        if model_complexity not in (0, 1):
            raise ValueError(
                'MediaPipePose: model_complexity must be 0 or 1 (the heavy '
                f'model is not in the wheel), got {model_complexity}')
        self._solution = import_mediapipe().solutions.pose
        if model_complexity == 0:
            _fetch_lite_model(self._solution)
        self._options = dict(
            model_complexity=model_complexity,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence)
        self.search_interval = max(1, search_interval)
        self.max_misses = max_misses
        self._tracks: List[CropTrack] = []
        self._searcher: Optional[Any] = None
        self._frame = 0
        self._next_id = 0

    def _make_pose(self, static: bool = False) -> Any:
        return QuietFirstFrame(self._solution.Pose(
            static_image_mode=static, smooth_landmarks=not static,
            **self._options))

    def __call__(self, frame: np.ndarray) -> List[PersonPose]:
        """People in one ``(H, W, 3)`` uint8 RGB frame."""
        height, width = frame.shape[:2]
        found = self._follow(frame)
        if (len(self._tracks) < self.max_persons
                and (not self._tracks
                     or self._frame % self.search_interval == 0)):
            window = self._search(frame)
            if window is not None:
                track = CropTrack(self._make_pose, window, self._next_id)
                self._next_id += 1
                result = track.follow(frame)
                if result is not None and not self._duplicate(track):
                    self._tracks.append(track)
                    found.append((track, result))
                else:
                    track.close()
        self._frame += 1
        return [self._person(result, track.track_id, width, height)
                for track, result in found]

    def _follow(self, frame: np.ndarray) -> list:
        """Run every tracker; drop the lost and the duplicated."""
        found = []
        for track in list(self._tracks):
            result = track.follow(frame)
            if result is None:
                if track.misses >= self.max_misses:
                    self._drop(track)
                continue
            if self._duplicate(track):
                self._drop(track)
                continue
            found.append((track, result))
        return found

    def _duplicate(self, track: CropTrack) -> bool:
        """Whether an older tracker follows the same person."""
        return any(
            other is not track and other.box is not None
            and other.track_id < track.track_id
            and iou(other.box, track.box) > 0.5 for other in self._tracks)

    def _drop(self, track: CropTrack) -> None:
        track.close()
        self._tracks.remove(track)

    def _search(self, frame: np.ndarray) -> Optional[Box]:
        """A window around a person nobody follows yet, or None.

        The whole frame is searched with the followed people greyed out;
        if nobody is found there, the widest strip beside them is searched
        on its own, where a small person appears larger to the detector.
        """
        height, width = frame.shape[:2]
        boxes = [t.box for t in self._tracks if t.box is not None]
        image = frame
        if boxes:
            image = frame.copy()
            for box in boxes:
                x0, y0, x1, y1 = window_around(box, width, height, 1.2, 0)
                image[y0:y1, x0:x1] = _MASK_GRAY
        regions = [(0, 0, width, height)]
        strip = _widest_free_strip(boxes, width, height)
        if strip is not None:
            regions.append(strip)
        for x0, y0, x1, y1 in regions:
            box = self._find_one(image[y0:y1, x0:x1])
            if box is None:
                continue
            box = box + (x0, y0, x0, y0)
            if all(iou(box, other) <= 0.3 for other in boxes):
                return window_around(box, width, height)
        return None

    def _find_one(self, image: np.ndarray) -> Optional[np.ndarray]:
        """The box of the one person a static BlazePose finds, or None."""
        if self._searcher is None:
            self._searcher = self._make_pose(static=True)
        result = self._searcher.process(np.ascontiguousarray(image))
        if result.pose_landmarks is None:
            return None
        height, width = image.shape[:2]
        return box_of(np.array([(p.x * width, p.y * height)
                                for p in result.pose_landmarks.landmark]))

    def _person(self, result: tuple, track_id: int, width: int,
                height: int) -> PersonPose:
        """Landmark pixels and visibilities as a ``layout`` person."""
        points, scores = from_blazepose(*result, self.layout)
        points = np.clip(points / (width, height), 0.0, 1.0)
        return PersonPose(points.astype(np.float32), scores, track_id)

    def reset(self) -> None:
        """Forget everyone: the next frame starts a new video."""
        for track in list(self._tracks):
            self._drop(track)
        self._frame = 0

    def close(self) -> None:
        """Release every BlazePose instance."""
        self.reset()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def _fetch_lite_model(solution: Any) -> None:
    """Have mediapipe download BlazePose lite now if it lacks it, so that
    being offline is one clear error here, not a traceback on the first
    frame (of every worker)."""
    try:
        solution.Pose(model_complexity=0).close()
    except OSError as error:  # urllib's URLError included
        raise ValueError(
            'MediaPipePose: BlazePose lite (model_complexity=0) is not in '
            'the mediapipe wheel and could not be downloaded '
            f'({getattr(error, "reason", error)}); use model_complexity=1 '
            '(the full model, in the wheel), or run once with internet') \
            from error


def _widest_free_strip(boxes: List[np.ndarray], width: int,
                       height: int) -> Optional[Box]:
    """The widest full-height strip left or right of every box, if it is
    at least a fifth of the frame wide (None without boxes)."""
    if not boxes:
        return None
    left = int(max(0, min(b[0] for b in boxes)))
    right = int(min(width, max(b[2] for b in boxes)))
    strip = max([(left, (0, 0, left, height)),
                 (width - right, (right, 0, width, height))])
    return strip[1] if strip[0] >= width / 5 else None
