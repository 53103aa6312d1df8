"""Write rendered frames as a video (``.mp4``/``.avi``/``.gif``) or an image.

Each file is written under a temporary name with the same suffix (OpenCV
picks the container from it) and renamed into place, so an interrupted
run never leaves half a file.
"""
import os.path as osp
from typing import Sequence

import cv2
import numpy as np

from stgcn_reg.utils.atomic_io import atomic_path

VIDEO_SUFFIXES = ('.mp4', '.avi', '.gif')
_FOURCC = {'.mp4': 'mp4v', '.avi': 'MJPG'}


def write_video(frames: Sequence[np.ndarray], path: str,
                fps: float = 30.0) -> None:
    """Write BGR uint8 frames of one size to ``path``.

    ``.mp4`` (MPEG-4 part 2) and ``.avi`` (MJPG) go through OpenCV;
    ``.gif`` through Pillow (looping, palette per frame).
    """
    suffix = osp.splitext(path)[1].lower()
    if suffix not in VIDEO_SUFFIXES:
        raise ValueError(
            f'video {path!r}: unsupported suffix {suffix!r}; expected one '
            f'of {VIDEO_SUFFIXES}')
    if not frames:
        raise ValueError(f'video {path!r}: no frames to write')
    if fps <= 0:
        raise ValueError(f'fps must be positive, got {fps}')
    with atomic_path(path, keep_suffix=True) as temp:
        if suffix == '.gif':
            _write_gif(frames, temp, fps)
        else:
            _write_opencv(frames, temp, fps, _FOURCC[suffix])


def _write_opencv(frames: Sequence[np.ndarray], path: str, fps: float,
                  fourcc: str) -> None:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), fps,
                             (width, height))
    if not writer.isOpened():
        raise RuntimeError(
            f'OpenCV cannot write {fourcc} video to {path!r} (codec '
            'missing in this OpenCV build?); try a .gif or .avi output')
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()


def _write_gif(frames: Sequence[np.ndarray], path: str, fps: float) -> None:
    from PIL import Image
    images = [Image.fromarray(frame[..., ::-1]) for frame in frames]
    images[0].save(path, format='GIF', save_all=True,
                   append_images=images[1:],
                   duration=max(1, int(round(1000 / fps))), loop=0)


def write_image(image: np.ndarray, path: str) -> None:
    """Write one BGR image (``.png``, ``.jpg``, ...) with OpenCV."""
    with atomic_path(path, keep_suffix=True) as temp:
        try:
            written = cv2.imwrite(temp, image)
        except cv2.error:  # OpenCV raises for an unknown suffix
            written = False
        if not written:
            raise ValueError(
                f'image {path!r}: OpenCV cannot write this format; use '
                '.png or .jpg')


class VideoFileWriter:
    """Write BGR frames one by one (a long video, a camera), atomically.

    The frames go to a temp file with the same suffix, renamed over
    ``path`` by :meth:`close`; :meth:`abort` (or an exception inside a
    ``with`` block) removes it and leaves ``path`` as it was.

    Args:
        path (str): ``.mp4`` (MPEG-4 part 2) or ``.avi`` (MJPG).
        fps (float): Frames per second.
    """

    def __init__(self, path: str, fps: float) -> None:
        suffix = osp.splitext(path)[1].lower()
        if suffix not in _FOURCC:
            raise ValueError(
                f'video {path!r}: unsupported suffix {suffix!r}; expected '
                f'one of {tuple(_FOURCC)}')
        self.path = path
        self.fps = fps if fps > 0 else 30.0
        self._fourcc = _FOURCC[suffix]
        self._context = atomic_path(path, keep_suffix=True)
        self._temp = self._context.__enter__()
        self._writer = None
        self.frames = 0

    def write(self, frame: np.ndarray) -> None:
        """Append one BGR uint8 frame (all frames of one size)."""
        if self._writer is None:
            height, width = frame.shape[:2]
            self._writer = cv2.VideoWriter(
                self._temp, cv2.VideoWriter_fourcc(*self._fourcc), self.fps,
                (width, height))
            if not self._writer.isOpened():
                self.abort()
                raise RuntimeError(
                    f'OpenCV cannot write {self._fourcc} video to '
                    f'{self.path!r} (codec missing in this OpenCV build?)')
        self._writer.write(frame)
        self.frames += 1

    def close(self) -> None:
        """Finish the file and rename it into place (no frames: abort)."""
        if self._context is None:
            return
        if self._writer is None:
            self.abort()
            raise ValueError(f'video {self.path!r}: no frames to write')
        self._writer.release()
        context, self._context = self._context, None
        context.__exit__(None, None, None)

    def abort(self) -> None:
        """Drop what was written; ``path`` keeps its old content."""
        if self._writer is not None:
            self._writer.release()
        if self._context is not None:
            context, self._context = self._context, None
            error = RuntimeError('aborted')
            try:
                context.__exit__(RuntimeError, error, None)
            except RuntimeError:
                pass

    def __enter__(self) -> 'VideoFileWriter':
        return self

    def __exit__(self, kind, *rest) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
