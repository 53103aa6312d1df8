"""Frames from a video file, an image folder, a camera or a stream.

Every way a source can fail to give frames is one :class:`VideoReadError`
whose message names the source and the reason (missing, 0 bytes, not a
video, no frames, truncated, no such camera).
"""
import math
import os
import os.path as osp
from typing import Iterable, Iterator, List, Optional, Union

import numpy as np

VIDEO_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.gif', '.webm', '.m4v')
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp')
# a file that ends this many frames before its header's count is truncated
_TRUNCATION_SLACK = 0.9
# frame rates closer than this (relative) are taken as the same
_SAME_RATE = 0.01


class VideoReadError(ValueError):
    """A source gives no usable frames; the message says which and why."""


def is_live(source: Union[str, int]) -> bool:
    """A camera index (``0``) or a stream URL, not a file."""
    text = str(source)
    return text.isdigit() or '://' in text


class VideoSource:
    """Iterate the RGB frames of ``source``.

    Args:
        source: A video file, a folder of images (sorted by name), a camera
            index (``0`` or ``'0'``) or a stream URL (``rtsp://...``).
        fps (float, optional): Give the frames at this rate: frames are
            dropped or repeated, each output frame being the source frame
            shown at the middle of its time span (:func:`resampled`), so
            that a clip's frames span the same time whatever the camera's
            rate (models trained on Kinetics saw 30 fps). None or 0 keeps
            the source's own frames.

    Attributes:
        source_fps (float): The source's frames per second (30 where it
            does not say).
        fps (float): Frames per second of the frames given.
        size (tuple): ``(width, height)`` of the frames.
        num_frames (int, optional): The source's frame count where known
            in advance.
    """

    def __init__(self, source: Union[str, int],
                 fps: Optional[float] = None) -> None:
        import cv2
        self._cv2 = cv2
        self.source = str(source)
        self._images: Optional[List[str]] = None
        self._capture = None
        if osp.isdir(self.source):
            self._open_images()
        elif is_live(source):
            self._open_live()
        else:
            self._open_file()
        self.source_fps = self.fps
        self.set_fps(fps)

    def set_fps(self, fps: Optional[float]) -> None:
        """Give the frames at ``fps`` from now on (None or 0: the source's
        own rate); see the class's ``fps`` argument."""
        if fps is not None and not (fps >= 0 and math.isfinite(fps)):
            raise ValueError(f"fps must be > 0 (or 0 for the source's own "
                             f'rate), got {fps}')
        self.fps = self.source_fps
        if fps and abs(fps - self.source_fps) > _SAME_RATE * fps:
            self.fps = float(fps)

    def _open_images(self) -> None:
        self._images = sorted(
            osp.join(self.source, name) for name in os.listdir(self.source)
            if name.lower().endswith(IMAGE_SUFFIXES))
        if not self._images:
            raise VideoReadError(
                f'{self.source}: folder holds no images '
                f'({", ".join(IMAGE_SUFFIXES)})')
        first = self._read_image(self._images[0])
        self.size = (first.shape[1], first.shape[0])
        self.fps, self.num_frames = 30.0, len(self._images)

    def _open_live(self) -> None:
        cv2 = self._cv2
        text = self.source
        self._capture = cv2.VideoCapture(int(text) if text.isdigit() else text)
        if not self._capture.isOpened():
            what = f'camera {text}' if text.isdigit() else f'stream {text}'
            raise VideoReadError(
                f'{what} cannot be opened (no such device, or not reachable)')
        self._set_properties(None)

    def _open_file(self) -> None:
        if not osp.isfile(self.source):
            raise VideoReadError(f'{self.source}: no such file')
        if osp.getsize(self.source) == 0:
            raise VideoReadError(f'{self.source}: file is empty (0 bytes)')
        self._capture = self._cv2.VideoCapture(self.source)
        if not self._capture.isOpened():
            raise VideoReadError(
                f'{self.source}: not a video OpenCV can read (corrupt, '
                'truncated or another kind of file)')
        count = int(self._capture.get(self._cv2.CAP_PROP_FRAME_COUNT))
        self._set_properties(count if count > 0 else None)

    def _set_properties(self, count: Optional[int]) -> None:
        cv2 = self._cv2
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 0 < fps < 1000 else 30.0
        self.size = (int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                     int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self.num_frames = count

    def _read_image(self, path: str) -> np.ndarray:
        image = self._cv2.imread(path, self._cv2.IMREAD_COLOR)
        if image is None:
            raise VideoReadError(f'{path}: not an image OpenCV can read')
        return self._cv2.cvtColor(image, self._cv2.COLOR_BGR2RGB)

    def __iter__(self) -> Iterator[np.ndarray]:
        """``(H, W, 3)`` uint8 RGB frames; a file that stops well before
        its frame count, or gives none, raises :class:`VideoReadError`."""
        frames = self._source_frames()
        if self.fps != self.source_fps:
            frames = resampled(frames, self.source_fps / self.fps)
        yield from frames

    def _source_frames(self) -> Iterator[np.ndarray]:
        if self._images is not None:
            for path in self._images:
                yield self._read_image(path)
            return
        count = 0
        while True:
            ok, frame = self._capture.read()
            if not ok:
                break
            count += 1
            yield self._cv2.cvtColor(frame, self._cv2.COLOR_BGR2RGB)
        self._check_complete(count)

    def _check_complete(self, count: int) -> None:
        if is_live(self.source):
            return
        if count == 0:
            raise VideoReadError(f'{self.source}: no frame could be decoded')
        if self.num_frames and count < _TRUNCATION_SLACK * self.num_frames:
            raise VideoReadError(
                f'{self.source}: truncated: decoded {count} of the '
                f'{self.num_frames} frames its header announces')

    def close(self) -> None:
        """Release the file, camera or stream."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> 'VideoSource':
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def resampled(frames: Iterable[np.ndarray],
              ratio: float) -> Iterator[np.ndarray]:
    """``frames`` at ``1 / ratio`` times their rate: output frame ``k``
    (the time span ``[k, k + 1)`` of output frames) is the source frame
    showing the middle of that span, ``floor((k + 1/2) * ratio)``; frames
    are dropped for ``ratio > 1`` and repeated for ``ratio < 1``."""
    wanted = 0  # the next output frame
    for index, frame in enumerate(frames):
        while math.floor((wanted + 0.5) * ratio) == index:
            yield frame
            wanted += 1
