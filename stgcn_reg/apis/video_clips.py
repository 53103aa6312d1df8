"""Whole videos as clips for ``tools/infer.py``: the poses of every frame,
made into the sample ``tools/videos_to_dataset.py`` would have made."""
import os.path as osp
from typing import Any, Optional

from stgcn_reg.pose.video_poses import extract_video_poses
from stgcn_reg.pose.video_source import VIDEO_SUFFIXES

from .clip_reader import Clip


def is_video_file(path: str) -> bool:
    """Whether ``path`` names a video by its suffix."""
    return osp.splitext(path)[1].lower() in VIDEO_SUFFIXES


def pose_layout(model: Any) -> str:
    """The joint layout poses from video must come in for ``model`` (a
    recognizer or an ONNX one), or a ValueError that says which models
    take video."""
    from stgcn_reg.pose import OUTPUT_LAYOUTS

    from .inference import model_layout
    layout = model_layout(model)
    if layout not in OUTPUT_LAYOUTS:
        raise ValueError(
            f"the model's graph layout is {layout!r}; poses from video "
            'come as openpose (18) or coco (17) joints: use a model '
            'trained on one of those (e.g. configs/stgcn_kinetics.py or a '
            'config from tools/videos_to_dataset.py)')
    return layout


class VideoClipReader:
    """Read a video as one clip: its poses, centred and cut or padded to
    ``max_frames`` frames and ``max_bodies`` people as a video dataset's
    samples are. The estimator is built on the first video, in the
    model's joint layout, so that a run without videos never loads the
    pose backend nor asks the model for a video layout.

    Args:
        estimator_cfg (dict): Config of a ``POSE_ESTIMATORS`` entry
            (``layout`` and ``max_persons`` filled in here).
        model: The recognizer (or ONNX one) the clips are for.
        max_frames (int): Frames T of the clip.
        max_bodies (int): People M of the clip.
        fps (float, optional): Frames per second the video is read at
            (None: its own), as the training clips were.
    """

    def __init__(self, estimator_cfg: dict, model: Any, max_frames: int,
                 max_bodies: int, fps: Optional[float] = None) -> None:
        self.estimator_cfg = dict(estimator_cfg, max_persons=max_bodies)
        self.max_frames, self.max_bodies = max_frames, max_bodies
        self.fps = fps
        self._model = model
        self._estimator: Optional[Any] = None

    def __call__(self, path: str) -> Clip:
        """The clip of the video at ``path``.

        Raises:
            VideoReadError: The video gives no frames (the message says
                why).
            ValueError: Nobody was found in any frame, or the model's
                layout is not one poses from video come in.
        """
        if self._estimator is None:
            from stgcn_reg.registry import POSE_ESTIMATORS
            self._estimator = POSE_ESTIMATORS.build(dict(
                self.estimator_cfg, layout=pose_layout(self._model)))
        poses = extract_video_poses(self._estimator, path, self.fps)
        frames = len(poses.frames)
        kept = poses.frames[:self.max_frames]
        if all(p is None for people in kept for p in people):
            where = (f'any of its {frames} frames' if frames == len(kept)
                     else f'its first {len(kept)} frames (of {frames}; '
                     'see --max-frames)')
            raise ValueError(f'video {path!r}: no person found in {where}, '
                             'so there is no skeleton to classify')
        note = None
        if frames > self.max_frames:
            note = (f'{path}: {frames} frames at {poses.fps:g} fps, the '
                    f'first {self.max_frames} classified (--max-frames; '
                    'tools/demo_video.py gives the actions over time)')
        stem = osp.splitext(osp.basename(path))[0]
        return Clip(stem, path, poses.to_clip(self.max_frames,
                                              self.max_bodies), note=note)

    def close(self) -> None:
        """Release the estimator, if one was built."""
        if self._estimator is not None:
            self._estimator.close()
            self._estimator = None
