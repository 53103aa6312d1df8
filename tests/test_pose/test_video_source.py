"""Frames from files, image folders and GIFs; one clear error otherwise."""
import cv2
import numpy as np
import pytest
from PIL import Image

from stgcn_reg.pose import VideoReadError, VideoSource


def frames(count=6, size=(64, 48)):
    return [np.full((size[1], size[0], 3), 40 * i, np.uint8)
            for i in range(count)]


def test_image_folder_and_gif(tmp_path):
    folder = tmp_path / 'images'
    folder.mkdir()
    for i, frame in enumerate(frames()):
        cv2.imwrite(str(folder / f'{i:03d}.png'), frame)
    (folder / 'notes.txt').write_text('not an image')
    with VideoSource(str(folder)) as video:
        read = list(video)
    assert len(read) == 6 and read[0].shape == (48, 64, 3)
    assert video.size == (64, 48)
    gif = tmp_path / 'clip.gif'
    images = [Image.fromarray(f) for f in frames()]
    images[0].save(gif, save_all=True, append_images=images[1:],
                   duration=40)
    with VideoSource(str(gif)) as video:
        assert len(list(video)) == 6


@pytest.mark.parametrize('content, reason', [
    (b'', 'file is empty (0 bytes)'),
    (b'hello, not a video\n', 'not a video OpenCV can read'),
])
def test_unreadable_files_are_named(tmp_path, content, reason):
    path = tmp_path / 'clip.mp4'
    path.write_bytes(content)
    with pytest.raises(VideoReadError) as error:
        list(VideoSource(str(path)))
    assert str(error.value).startswith(f'{path}: {reason}')


def test_missing_file_folder_without_images_and_camera(tmp_path):
    with pytest.raises(VideoReadError, match='no such file'):
        VideoSource(str(tmp_path / 'none.mp4'))
    with pytest.raises(VideoReadError, match='folder holds no images'):
        VideoSource(str(tmp_path))
    with pytest.raises(VideoReadError, match='camera 9 cannot be opened'):
        VideoSource('9')
