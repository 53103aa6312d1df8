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


def write_numbered_video(path, fps, count=12):
    """Flat frames whose grey level says their index (20 per frame)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'),
                             fps, (64, 48))
    for i in range(count):
        writer.write(np.full((48, 64, 3), 20 * i, np.uint8))
    writer.release()


def indices(video):
    return [round(float(frame.mean()) / 20) for frame in video]


def test_frames_resampled_to_the_rate_asked_for(tmp_path):
    fast, slow = tmp_path / 'fast.mp4', tmp_path / 'slow.mp4'
    write_numbered_video(fast, 60)
    write_numbered_video(slow, 15)
    with VideoSource(str(fast)) as video:
        assert video.fps == video.source_fps == 60
        assert indices(video) == list(range(12))
    with VideoSource(str(fast), fps=30) as video:
        assert (video.source_fps, video.fps) == (60, 30)
        assert indices(video) == [1, 3, 5, 7, 9, 11]  # the middle of each
    with VideoSource(str(slow), fps=30) as video:
        assert indices(video) == [i // 2 for i in range(24)]
    with VideoSource(str(slow), fps=15.05) as video:  # within 1%: as it is
        assert video.fps == 15 and len(indices(video)) == 12
    with pytest.raises(ValueError, match='fps must be > 0'):
        VideoSource(str(slow), fps=-30)


def test_resampling_keeps_the_duration():
    from stgcn_reg.pose.video_source import resampled
    assert list(resampled(range(10), 25 / 30)) == [
        0, 1, 2, 2, 3, 4, 5, 6, 7, 7, 8, 9]  # 25 -> 30 fps: 10 -> 12
    assert len(list(resampled(range(300), 60 / 30))) == 150
    assert len(list(resampled(range(250), 25 / 30))) == 300
