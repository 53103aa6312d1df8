"""Actions in a video over time: poses per frame, a sliding window of the
last ``window`` frames classified every ``stride`` frames."""
import collections
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config
from torch import nn

from stgcn_reg.pose.estimator import PersonPose, PoseEstimator
from stgcn_reg.pose.slots import SlotAssigner
from stgcn_reg.pose.video_poses import VideoPoses

from .clip_reader import Clip
from .inference import build_test_pipeline, class_name, predict_clip


@dataclass
class WindowPrediction:
    """The ``topk`` classes of frames ``start`` .. ``end - 1``; no labels
    when nobody was found in any of those frames (the model is not run on
    an empty window, so no action is claimed for an empty scene)."""

    start: int
    end: int
    labels: List[int]
    scores: List[float]

    @property
    def nobody(self) -> bool:
        """Whether nobody was found in the window's frames."""
        return not self.labels

    def as_dict(self, names: Optional[Sequence[str]] = None) -> dict:
        """JSON form; labels as class names where ``names`` are given
        (``nobody: true`` and no labels for an empty window)."""
        entry = dict(start=self.start, end=self.end,
                     labels=[class_name(i, names) if names else i
                             for i in self.labels],
                     scores=[round(s, 6) for s in self.scores])
        if self.nobody:
            entry['nobody'] = True
        return entry


@dataclass
class VideoRunStats:
    """Where the time of a video run went."""

    frames: int = 0
    predictions: int = 0
    pose_seconds: float = 0.0
    model_seconds: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def line(self) -> str:
        """``pose 80.1 fps, model 9.5 windows/s, total 41.2 fps``."""
        wall = max(time.perf_counter() - self.started, 1e-9)
        pose = self.frames / self.pose_seconds if self.pose_seconds else 0
        model = (self.predictions / self.model_seconds
                 if self.model_seconds else 0)
        return (f'{self.frames} frames: pose {pose:.1f} fps, model '
                f'{model:.1f} windows/s, total {self.frames / wall:.1f} fps')


def temporal_receptive_field(model: nn.Module, probe: int = 512) -> int:
    """Frames one output step of the backbone sees, measured: the input
    steps that get a gradient from the middle output step (an ONNX
    model's, measured so at export, from its file)."""
    if not isinstance(model, nn.Module):
        return int(model.temporal_receptive_field)
    from stgcn_reg.deploy.metadata import skeleton_graph
    backbone = skeleton_graph(model)  # a two-stream model's first stream
    channels = getattr(backbone, 'in_channels', 3)
    joints = getattr(backbone, 'num_node', 18)
    device = next(model.parameters()).device
    x = torch.randn(1, channels, probe, joints, 1, device=device,
                    requires_grad=True)
    with torch.enable_grad():
        out = backbone(x)  # (N, M, C, T', V)
        out[:, :, :, out.shape[3] // 2].sum().backward()
    reached = x.grad.abs().sum(dim=(0, 1, 3, 4)) > 0
    return int(reached.sum())


def seconds_per_window(model: nn.Module, cfg: Config, layout: str,
                       window: int, num_persons: int = 2) -> float:
    """Seconds the model takes for one window of frames with someone
    standing still in them (one warm-up prediction, then one timed), to
    choose a live stride. (An empty window is not run at all.)"""
    from stgcn_reg.graphs import LAYOUTS
    joints = LAYOUTS[layout].num_node
    still = [PersonPose(np.full((joints, 2), 0.5, np.float32),
                        np.ones(joints, np.float32))]
    classifier = SlidingWindowClassifier(model, cfg, layout, window, 1, 1,
                                         num_persons)
    for _ in range(window + 1):
        classifier.push(still)
    start = time.perf_counter()
    classifier.push(still)
    return time.perf_counter() - start


class SlidingWindowClassifier:
    """Classify the last ``window`` frames' poses every ``stride`` frames.

    Args:
        model (nn.Module): A recognizer in eval mode.
        cfg (Config): Its config (for the test pipeline).
        layout (str): Joint layout of the poses.
        window (int): Frames per prediction.
        stride (int): Frames between predictions.
        topk (int): Classes kept per prediction.
        num_persons (int): Persons M the model takes.
    """

    def __init__(self, model: nn.Module, cfg: Config, layout: str,
                 window: int, stride: int, topk: int = 5,
                 num_persons: int = 2) -> None:
        if window < 1 or stride < 1:
            raise ValueError(
                f'window and stride must be >= 1, got {window}, {stride}')
        self.model, self.layout = model, layout
        self.window, self.stride, self.topk = window, stride, topk
        self.num_persons = num_persons
        self._pipeline = build_test_pipeline(cfg)
        self._buffer: collections.deque = collections.deque(maxlen=window)
        self.frames = 0
        self._last_end = 0
        self.model_seconds = 0.0
        self.predictions = 0

    def push(self, people: List[Optional[PersonPose]]
             ) -> Optional[WindowPrediction]:
        """Add one frame's people (by slot); a prediction when one is due:
        once the window is full, then every ``stride`` frames."""
        self._buffer.append(people)
        self.frames += 1
        due = (self.frames >= self.window
               and (self.frames - self.window) % self.stride == 0)
        return self._predict() if due else None

    def finish(self) -> Optional[WindowPrediction]:
        """The last frames not yet covered (a video shorter than a window,
        or a tail after the last stride)."""
        if self.frames and self._last_end < self.frames:
            return self._predict()
        return None

    def _predict(self) -> WindowPrediction:
        self._last_end = self.frames
        start = self.frames - len(self._buffer)
        if all(p is None for people in self._buffer for p in people):
            return WindowPrediction(start, self.frames, [], [])
        frames = [list(p) + [None] * (self.num_persons - len(p))
                  for p in self._buffer]
        data = VideoPoses(frames, self.layout).to_array(centre=True)
        clip = Clip('window', 'video', data[..., :self.num_persons])
        began = time.perf_counter()
        prediction = predict_clip(self.model, self._pipeline, clip)
        self.model_seconds += time.perf_counter() - began
        self.predictions += 1
        top = prediction.top(self.topk)
        return WindowPrediction(start, self.frames, [i for i, _ in top],
                                [s for _, s in top])


def inference_video(model: nn.Module, cfg: Config,
                    frames: Iterable[np.ndarray], estimator: PoseEstimator,
                    window: int, stride: int, topk: int = 5,
                    on_frame: Optional[Callable] = None,
                    stats: Optional[VideoRunStats] = None
                    ) -> List[WindowPrediction]:
    """The timeline of a video: one prediction per window.

    Args:
        model, cfg: Recognizer (eval mode) and its config.
        frames: RGB frames (e.g. a :class:`~stgcn_reg.pose.VideoSource`).
        estimator: The pose estimator.
        window, stride, topk: As :class:`SlidingWindowClassifier`.
        on_frame (callable, optional): Called with ``(frame, people,
            latest prediction or None)`` after each frame (drawing,
            writing, showing).
        stats (VideoRunStats, optional): Filled with frame counts and
            timings as the video runs.
    """
    stats = stats if stats is not None else VideoRunStats()
    persons = estimator.max_persons
    classifier = SlidingWindowClassifier(model, cfg, estimator.layout, window,
                                         stride, topk, persons)
    slots = SlotAssigner(persons)
    timeline: List[WindowPrediction] = []
    latest = None
    estimator.reset()
    try:
        for frame in frames:
            start = time.perf_counter()
            people = slots(estimator(frame))
            stats.pose_seconds += time.perf_counter() - start
            prediction = classifier.push(people)
            if prediction is not None:
                timeline.append(prediction)
                latest = prediction
            stats.frames += 1
            stats.predictions = classifier.predictions
            stats.model_seconds = classifier.model_seconds
            if on_frame is not None:
                on_frame(frame, people, latest)
    except KeyboardInterrupt:
        pass  # Ctrl-C ends a camera or stream run cleanly
    tail = classifier.finish()
    if tail is not None:
        timeline.append(tail)
    stats.predictions = classifier.predictions
    stats.model_seconds = classifier.model_seconds
    return timeline
