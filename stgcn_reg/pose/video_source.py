"""Frames from a video file, an image folder, a camera or a stream.

Every way a source can fail to give frames is one :class:`VideoReadError`
whose message names the source and the reason (missing, 0 bytes, not a
video, no frames, truncated, no such camera).
"""
import os
import os.path as osp
from typing import Iterator, List, Optional, Union

import numpy as np

VIDEO_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.gif', '.webm', '.m4v')
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp')
# a file that ends this many frames before its header's count is truncated
_TRUNCATION_SLACK = 0.9


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

    Attributes:
        fps (float): Frames per second (30 where the source does not say).
        size (tuple): ``(width, height)`` of the frames.
        num_frames (int, optional): Frame count where known in advance.
    """

    def __init__(self, source: Union[str, int]) -> None:
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
