"""A whole video as one clip for inference: real BlazePose on the shared
clip, the same sample videos_to_dataset makes, clear errors."""
from types import SimpleNamespace

import numpy as np
import pytest

from stgcn_reg.apis import read_clip_file, read_clips
from stgcn_reg.apis.video_clips import VideoClipReader, pose_layout

pytestmark = pytest.mark.slow

FRAMES = 20  # frames of the clip cut from the shared video
OPENPOSE_MODEL = SimpleNamespace(layout='openpose')  # as an ONNX model says


@pytest.fixture(scope='module')
def short_video(tmp_path_factory):
    from video_fixtures import (
        CLEAN_AND_JERK,
        need_videos,
        read_frames,
        write_clip,
    )
    need_videos()
    folder = tmp_path_factory.mktemp('videos')
    frames = read_frames(CLEAN_AND_JERK)[:FRAMES]
    write_clip([np.full_like(f, 127) for f in frames[:5]],
               str(folder / 'nobody.mp4'))
    return write_clip(frames, str(folder / 'lift.mp4'))


def test_a_video_is_the_sample_videos_to_dataset_makes(short_video,
                                                       tmp_path):
    from stgcn_reg.pose.video_dataset import extract_clips, split_arrays
    reader = VideoClipReader(dict(type='MediaPipePose'), OPENPOSE_MODEL,
                             max_frames=30, max_bodies=2)
    try:
        [clip] = read_clip_file(short_video, video_reader=reader)
    finally:
        reader.close()
    assert clip.name == 'lift' and clip.label is None and clip.note is None
    assert clip.data.shape == (3, 30, 18, 2)
    found = clip.data[2, :FRAMES, :, 0] > 0
    assert found.mean() > 0.5  # the lifter is there
    assert not clip.data[:, FRAMES:].any()  # padded as the dataset pads
    # the training sample of the same video, through the JSON cache
    videos = [(short_video, 'lift')]
    extract_clips(videos, short_video, str(tmp_path), dict(
        type='MediaPipePose', layout='openpose', max_persons=2), 1)
    data, _, _ = split_arrays(videos, ['lift'], short_video, str(tmp_path),
                              30, 2)
    np.testing.assert_allclose(clip.data, data[0], atol=1e-4)  # JSON: 4 dp


def test_a_longer_video_is_cut_with_a_note(short_video):
    reader = VideoClipReader(dict(type='MediaPipePose'), OPENPOSE_MODEL,
                             max_frames=8, max_bodies=1)
    try:
        clip = reader(short_video)
    finally:
        reader.close()
    assert clip.data.shape == (3, 8, 18, 1)
    assert clip.note == (f'{short_video}: {FRAMES} frames at 30 fps, the '
                         'first 8 classified (--max-frames; '
                         'tools/demo_video.py gives the actions over time)')


def test_a_person_only_past_max_frames_is_no_clip(short_video, tmp_path):
    from video_fixtures import read_frames, write_clip
    frames = read_frames(short_video)
    late = write_clip([np.full_like(frames[0], 127)] * 6 + frames[:4],
                      str(tmp_path / 'late.mp4'))
    reader = VideoClipReader(dict(type='MediaPipePose'), OPENPOSE_MODEL,
                             max_frames=6, max_bodies=2)
    try:
        with pytest.raises(ValueError, match='no person found in its first '
                           '6 frames [(]of 10; see --max-frames[)]'):
            reader(late)
    finally:
        reader.close()


def test_a_folder_of_videos_names_the_ones_without_a_person(short_video):
    import os.path as osp
    folder = osp.dirname(short_video)
    reader = VideoClipReader(dict(type='MediaPipePose'), OPENPOSE_MODEL,
                             max_frames=30, max_bodies=2)
    try:
        clips, errors = read_clips(folder, video_reader=reader)
    finally:
        reader.close()
    assert [c.name for c in clips] == ['lift']
    assert errors == [f"{folder}/nobody.mp4: video '{folder}/nobody.mp4': "
                      'no person found in any of its 5 frames, so there is '
                      'no skeleton to classify']
    # without a video reader the folder's videos are not listed
    assert read_clips(folder) == ([], [
        f'{folder}: no .skeleton/.json/.npy files in folder'])


def test_videos_need_a_reader_and_a_video_layout(tmp_path):
    video = tmp_path / 'clip.mp4'
    video.write_bytes(b'')
    with pytest.raises(ValueError, match='is a video; tools/infer.py and '
                       'tools/demo_video.py take videos'):
        read_clip_file(str(video))
    with pytest.raises(ValueError, match="graph layout is 'ntu-rgb[+]d'; "
                       'poses from video come as openpose'):
        pose_layout(SimpleNamespace(layout='ntu-rgb+d'))
    assert pose_layout(OPENPOSE_MODEL) == 'openpose'
