"""Real videos for the pose tests: the shared clips, cut, flipped, joined.

The clips are read from ``../shared/data/video/`` (never copied into the
repository); tests skip with the reason when they or mediapipe are absent.
"""
import os
import os.path as osp
from typing import List

import numpy as np
import pytest
from conftest import SHARED_DATA

VIDEO_DIR = osp.join(SHARED_DATA, 'video')
CLEAN_AND_JERK = osp.join(VIDEO_DIR, 'clean_and_jerk.mp4')
SKATEBOARDING = osp.join(VIDEO_DIR, 'skateboarding.mp4')
OPENPOSE_REFERENCE = osp.join(SHARED_DATA, 'openpose_demo',
                              'clean_and_jerk.json')


def need_videos() -> None:
    """Skip unless the shared videos and mediapipe are there."""
    if not osp.isfile(CLEAN_AND_JERK) or not osp.isfile(SKATEBOARDING):
        pytest.skip(f'shared videos not found in {VIDEO_DIR}')
    from stgcn_reg.pose import PoseBackendMissing
    from stgcn_reg.pose.backend_imports import import_mediapipe
    try:
        import_mediapipe()
    except PoseBackendMissing as error:
        pytest.skip(str(error))


def read_frames(path: str) -> List[np.ndarray]:
    """All RGB frames of a video."""
    from stgcn_reg.pose import VideoSource
    with VideoSource(path) as video:
        return list(video)


def write_clip(frames: List[np.ndarray], path: str, fps: float = 30.0) -> str:
    """Write RGB frames as an mp4 (MPEG-4 part 2) with OpenCV."""
    import cv2
    os.makedirs(osp.dirname(path), exist_ok=True)
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (width, height))
    for frame in frames:
        writer.write(np.ascontiguousarray(frame[..., ::-1]))
    writer.release()
    return path


def class_folders(root: str, length: int = 45) -> str:
    """``root/<class>/clipN.mp4``: short clips cut from the two videos,
    some mirrored, some cropped (4 clips per class)."""
    for name, path in (('clean_and_jerk', CLEAN_AND_JERK),
                       ('skateboarding', SKATEBOARDING)):
        frames = read_frames(path)
        for number, (start, flip, crop) in enumerate(
                ((0, False, 0), (75, True, 0), (150, False, 16),
                 (225, True, 16))):
            clip = [frame[crop:frame.shape[0] - crop,
                          crop:frame.shape[1] - crop]
                    for frame in frames[start:start + length]]
            if flip:
                clip = [frame[:, ::-1] for frame in clip]
            write_clip(clip, osp.join(root, name, f'clip{number}.mp4'))
    return root
