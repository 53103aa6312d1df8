"""Where extract_poses writes each video's JSON: always under --out-dir,
never beside the video, never two videos to one file."""
import os.path as osp

import pytest

from stgcn_reg.pose.batch_extraction import find_videos


def test_files_and_folders_land_under_the_out_dir(tmp_path):
    videos = tmp_path / 'videos'
    (videos / 'sub').mkdir(parents=True)
    for name in ('a.mp4', 'sub/b.avi'):
        (videos / name).write_bytes(b'x')
    out = str(tmp_path / 'out')
    # an absolute file path once gave a JSON beside the video
    assert find_videos([str(videos / 'a.mp4')], out) == [
        (str(videos / 'a.mp4'), osp.join(out, 'a.json'))]
    assert find_videos([str(videos)], out) == [
        (str(videos / 'a.mp4'), osp.join(out, 'videos', 'a.json')),
        (str(videos / 'sub' / 'b.avi'),
         osp.join(out, 'videos', 'sub', 'b.json'))]


def test_two_videos_for_one_json_are_refused(tmp_path):
    for folder in ('x', 'y'):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / 'clip.mp4').write_bytes(b'x')
    (tmp_path / 'x' / 'clip.avi').write_bytes(b'x')
    first, second = str(tmp_path / 'x' / 'clip.mp4'), str(
        tmp_path / 'y' / 'clip.mp4')
    with pytest.raises(ValueError, match=f'{first} and {second} would both '
                       'be written to .*clip.json; give their folder'):
        find_videos([first, second], str(tmp_path / 'out'))
    with pytest.raises(ValueError, match='clip.avi and .*clip.mp4 would both'):
        find_videos([str(tmp_path / 'x')], str(tmp_path / 'out'))
