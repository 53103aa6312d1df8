"""Videos and images written from rendered frames read back the same."""
import cv2
import numpy as np
import pytest
from PIL import Image

from stgcn_reg.visualization import write_image, write_video

COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]  # BGR


def solid_frames():
    return [np.full((48, 64, 3), colour, np.uint8) for colour in COLOURS]


def test_mp4_has_every_frame_in_order(tmp_path):
    path = str(tmp_path / 'clip.mp4')
    write_video(solid_frames(), path, fps=10)
    capture = cv2.VideoCapture(path)
    read = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        read.append(frame)
    capture.release()
    assert len(read) == 3 and read[0].shape == (48, 64, 3)
    for frame, colour in zip(read, COLOURS):  # lossy codec: close enough
        assert np.abs(frame.mean(axis=(0, 1)) - colour).max() < 12
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.')]


def test_gif_has_every_frame_in_rgb(tmp_path):
    path = str(tmp_path / 'clip.gif')
    write_video(solid_frames(), path, fps=20)
    with Image.open(path) as gif:
        assert gif.n_frames == 3
        assert gif.info['duration'] == 50
        for index, (b, g, r) in enumerate(COLOURS):
            gif.seek(index)
            assert gif.convert('RGB').getpixel((5, 5)) == (r, g, b)


def test_png_is_exact(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (20, 30, 3), np.uint8)
    path = str(tmp_path / 'sheet.png')
    write_image(image, path)
    np.testing.assert_array_equal(cv2.imread(path), image)


def test_bad_requests_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unsupported suffix '.webm'"):
        write_video(solid_frames(), str(tmp_path / 'a.webm'))
    with pytest.raises(ValueError, match='no frames'):
        write_video([], str(tmp_path / 'a.mp4'))
    with pytest.raises(ValueError, match='cannot write this format'):
        write_image(solid_frames()[0], str(tmp_path / 'a.unknown'))
    assert list(tmp_path.iterdir()) == []
