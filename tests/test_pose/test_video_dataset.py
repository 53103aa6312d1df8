"""Class folders and CSV lists of clips; the stratified, seeded split."""
import pytest

from stgcn_reg.pose.video_dataset import (
    list_labelled_videos,
    stratified_split,
)


def test_class_folders_and_csv(tmp_path):
    root = tmp_path / 'videos'
    for name in ('run', 'jump'):
        (root / name).mkdir(parents=True)
        for i in range(3):
            (root / name / f'{i}.mp4').write_bytes(b'x')
    (root / 'jump' / 'frames').mkdir()
    (root / 'jump' / 'frames' / '000.png').write_bytes(b'x')
    clips = list_labelled_videos(str(root))
    assert sorted(name for _, name in clips) == ['jump'] * 4 + ['run'] * 3
    assert str(root / 'jump' / 'frames') in [video for video, _ in clips]
    table = tmp_path / 'clips.csv'
    table.write_text('path,label\nvideos/run/0.mp4,run\n'
                     'videos/jump/1.mp4, jump\n')
    assert list_labelled_videos(str(table)) == [
        (str(tmp_path / 'videos/run/0.mp4'), 'run'),
        (str(tmp_path / 'videos/jump/1.mp4'), 'jump')]
    table.write_text('videos/run/0.mp4\n')
    with pytest.raises(ValueError, match='line 1: expected "path,label"'):
        list_labelled_videos(str(table))


def test_split_is_stratified_and_seeded():
    clips = [(f'{name}{i}.mp4', name) for name in 'ab' for i in range(10)]
    clips += [('c0.mp4', 'c')]  # one clip: stays in training
    train, val = stratified_split(clips, 0.2, seed=0)
    assert sorted(name for _, name in val) == ['a', 'a', 'b', 'b']
    assert len(train) == 17 and ('c0.mp4', 'c') in train
    assert stratified_split(clips, 0.2, seed=0) == (train, val)
    assert stratified_split(clips, 0.2, seed=1)[1] != val
    with pytest.raises(ValueError, match='--val-ratio'):
        stratified_split(clips, 1.0, 0)


def test_arrays_leave_out_clips_without_anyone_and_keep_names_apart(
        tmp_path):
    import numpy as np

    from stgcn_reg.pose import PersonPose, VideoPoses, write_kinetics_json
    from stgcn_reg.pose.video_dataset import pose_cache_path, split_arrays
    root, out = tmp_path / 'videos', tmp_path / 'out'
    person = PersonPose(np.full((18, 2), 0.25, np.float32),
                        np.full(18, 0.9, np.float32))
    clips = [(str(root / 'run' / 'clip1.mp4'), 'run'),
             (str(root / 'jump' / 'clip1.mp4'), 'jump'),
             (str(root / 'jump' / 'empty.mp4'), 'jump')]
    for (video, name), people in zip(clips, ([person], [person], [None])):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / video.rsplit('/', 1)[1]).write_bytes(b'x')
        write_kinetics_json(VideoPoses([people] * 4, 'openpose'),
                            pose_cache_path(str(out), (video, name),
                                            str(root)))
    left_out = []
    data, names, labels = split_arrays(clips, ['jump', 'run'], str(root),
                                       str(out), 6, 2, left_out)
    assert names == ['run/clip1', 'jump/clip1'] and labels == [1, 0]
    assert data.shape == (2, 3, 6, 18, 2)
    assert np.allclose(data[:, :2, :4, :, 0], -0.25)  # centred, as Kinetics
    assert left_out == [f'{clips[2][0]}: no person found in any of its 4 '
                        'frames']
    # someone only after the frames kept: left out too
    late = (str(root / 'run' / 'late.mp4'), 'run')
    (root / 'run' / 'late.mp4').write_bytes(b'x')
    write_kinetics_json(VideoPoses([[None]] * 3 + [[person]] * 2,
                                   'openpose'),
                        pose_cache_path(str(out), late, str(root)))
    left_out = []
    assert split_arrays([late], ['jump', 'run'], str(root), str(out), 3, 2,
                        left_out) is None
    assert left_out == [f'{late[0]}: no person found in its first 3 frames '
                        '(of 5; see --num-frames)']
