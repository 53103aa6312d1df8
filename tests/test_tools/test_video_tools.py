"""From video to action with the real tools: extract_poses,
videos_to_dataset, train, test and demo_video on the shared clips."""
import json
import os

import cv2
import pytest
from conftest import REPO_ROOT
from tool_runner import run_tool, tool

pytestmark = pytest.mark.slow

# the narrow model of the other tool tests, on the 18 OpenPose joints
TINY = ['model.backbone.channels=[8,8,16,16]',
        'model.backbone.strides=[1,2,1,1]', 'model.cls_head.in_channels=16']
# frames of the good video of the extract_poses test
SHORT = 10
# frames of each clip of the videos_to_dataset test (the demo's is 45)
CLIP = 10


@pytest.fixture(scope='module')
def videos():
    from video_fixtures import need_videos
    need_videos()
    import video_fixtures
    return video_fixtures


@pytest.fixture(scope='module')
def clean_and_jerk_frames(videos):
    return videos.read_frames(videos.CLEAN_AND_JERK)


def test_extract_poses_names_unreadable_videos_and_reruns(
        videos, clean_and_jerk_frames, tmp_path):
    folder = tmp_path / 'in'
    (folder / 'sub').mkdir(parents=True)
    # the first frames of the real video, re-encoded with OpenCV
    good = videos.write_clip(clean_and_jerk_frames[:SHORT],
                             str(folder / 'sub' / 'good.mp4'))
    good_frames = len(videos.read_frames(good))
    assert good_frames == SHORT  # what was written reads back
    (folder / 'empty.mp4').write_bytes(b'')
    (folder / 'text.mp4').write_text('not a video\n')
    data = open(videos.SKATEBOARDING, 'rb').read()
    (folder / 'truncated.mp4').write_bytes(data[:len(data) // 3])
    before = {p: p.read_bytes() for p in folder.rglob('*') if p.is_file()}
    out = tmp_path / 'out'
    output = run_tool(tool('extract_poses.py'), str(folder), '--out-dir',
                      str(out), cwd=str(tmp_path))
    assert 'videos: 1 written, 0 already done, 3 unreadable' in output
    assert 'empty.mp4: file is empty (0 bytes)' in output
    assert 'text.mp4: not a video OpenCV can read' in output
    assert 'truncated.mp4' in output
    written = json.load(open(out / 'in' / 'sub' / 'good.json'))
    assert len(written['data']) == good_frames
    assert written['data'][0]['frame_index'] == 0
    assert len(written['data'][0]['skeleton'][0]['pose']) == 36
    assert {p: p.read_bytes() for p in folder.rglob('*')
            if p.is_file()} == before
    # a rerun skips what is done; --preview draws the poses of the good one
    again = run_tool(tool('extract_poses.py'), str(folder), '--out-dir',
                     str(out), '--preview', cwd=str(tmp_path))
    assert 'videos: 0 written, 1 already done, 3 unreadable' in again
    assert 'previews: 1 written' in again
    preview = videos.read_frames(str(out / 'in' / 'sub' / 'good_poses.mp4'))
    assert len(preview) == SHORT
    source = videos.read_frames(good)
    import numpy as np
    drawn = [np.abs(p.astype(int) - s).max() for p, s in zip(preview, source)]
    assert min(drawn) > 100  # skeletons and the frame number drawn on each
    assert {p: p.read_bytes() for p in folder.rglob('*')
            if p.is_file()} == before  # nothing beside the videos
    # a file given by its absolute path: its JSON under --out-dir too
    single = run_tool(tool('extract_poses.py'), good, '--out-dir',
                      str(tmp_path / 'single'), cwd=str(tmp_path))
    assert 'videos: 1 written' in single
    assert (tmp_path / 'single' / 'good.json').is_file()
    assert {p: p.read_bytes() for p in folder.rglob('*')
            if p.is_file()} == before
    # an option the estimator does not take: one line, nothing extracted
    refused = run_tool(tool('extract_poses.py'), str(folder), '--out-dir',
                       str(tmp_path / 'none'), '--estimator-options',
                       'serach_interval=10', cwd=str(tmp_path), expect_rc=1)
    assert ('error: --estimator-options serach_interval: MediaPipePose '
            'takes no such option') in refused
    assert not (tmp_path / 'none').exists()


def test_videos_to_dataset_train_test_and_demo(videos, clean_and_jerk_frames,
                                               tmp_path):
    import numpy as np
    root = videos.class_folders(str(tmp_path / 'videos'), length=CLIP)
    dataset = tmp_path / 'dataset'
    frames = str(CLIP)
    output = run_tool(tool('videos_to_dataset.py'), root, '--out-dir',
                      str(dataset), '--num-frames', frames, '--val-ratio',
                      '0.25', cwd=str(tmp_path))
    assert '6 training and 2 validation clips of 2 classes' in output
    data = np.load(dataset / 'train_data.npy')
    assert data.shape == (6, 3, CLIP, 18, 2)
    assert (dataset / 'label_map.txt').read_text().split() == [
        'clean_and_jerk', 'skateboarding']
    config = str(dataset / 'config.py')
    assert 'video_fps = 30.0' in open(config).read()  # infer.py reads at it
    work = tmp_path / 'work'
    run_tool(tool('train.py'), config, '--work-dir', str(work), '--epochs',
             '1', '--device', 'cpu', '--cfg-options', *TINY,
             cwd=str(tmp_path))
    checkpoint = str(work / 'epoch_1.pth')
    tested = run_tool(tool('test.py'), config, checkpoint, '--device', 'cpu',
                      '--work-dir', str(work), '--cfg-options', *TINY,
                      cwd=str(tmp_path))
    assert 'acc/top1' in tested
    # a rerun reuses the extracted poses
    again = run_tool(tool('videos_to_dataset.py'), root, '--out-dir',
                     str(dataset), '--num-frames', frames, '--val-ratio',
                     '0.25', cwd=str(tmp_path))
    assert 'videos: 0 written, 8 already done' in again

    # the demo's clip: 45 frames from 75 on, mirrored (class_folders'
    # clip1 at its former length), longer than the dataset's clips
    clip = videos.write_clip(
        [frame[:, ::-1] for frame in clean_and_jerk_frames[75:120]],
        str(tmp_path / 'demo_clip.mp4'))
    out_video, timeline = tmp_path / 'demo.mp4', tmp_path / 'demo.json'
    demo = run_tool(tool('demo_video.py'), config, checkpoint, clip, '--out',
                    str(out_video), '--json', str(timeline), '--stride', '5',
                    '--cfg-options', *TINY, cwd=str(tmp_path))
    assert 'window 49 frames' in demo  # the tiny model's receptive field
    reader = cv2.VideoCapture(str(out_video))
    count = 0
    while reader.read()[0]:
        count += 1
    assert count == 45
    windows = json.load(open(timeline))['windows']
    assert windows and all(w['labels'][0] in ('clean_and_jerk',
                                              'skateboarding')
                           for w in windows)
    assert windows[-1]['end'] == 45
    # a window shorter than the receptive field is flagged, on the frames
    # too; windows then start every stride
    short = run_tool(tool('demo_video.py'), config, checkpoint, clip,
                     '--json', str(timeline), '--window', '20', '--stride',
                     '10', '--cfg-options', *TINY, cwd=str(tmp_path))
    assert ("warning: --window 20 frames is shorter than the model's "
            'temporal receptive field (49 frames)') in short
    fp32 = json.load(open(timeline))['windows']
    assert [w['start'] for w in fp32] == [0, 10, 20, 25]
    # the same windows under bf16 autocast (--amp where the CPU has bf16)
    bf16 = run_tool(tool('demo_video.py'), config, checkpoint, clip,
                    '--json', str(timeline), '--window', '20', '--stride',
                    '10', '--amp-dtype', 'bf16', '--cfg-options', *TINY,
                    cwd=str(tmp_path))
    assert 'mixed precision: bfloat16 autocast on cpu' in bf16
    for ours, theirs in zip(json.load(open(timeline))['windows'], fp32,
                            strict=True):
        assert ours['labels'][0] == theirs['labels'][0]
        assert abs(ours['scores'][0] - theirs['scores'][0]) < 0.05

    # tools/infer.py on a folder: the video, its poses as Kinetics JSON
    # (extracted here in-process) and an unreadable video
    from stgcn_reg.pose import extract_video_poses, write_kinetics_json
    from stgcn_reg.registry import POSE_ESTIMATORS
    folder = tmp_path / 'to_infer'
    folder.mkdir()
    os.replace(clip, folder / 'demo_clip.mp4')
    (folder / 'empty.mp4').write_bytes(b'')
    estimator = POSE_ESTIMATORS.build(dict(type='MediaPipePose'))
    try:
        poses = extract_video_poses(estimator, str(folder / 'demo_clip.mp4'))
    finally:
        estimator.close()
    write_kinetics_json(poses, str(folder / 'demo_clip_poses.json'))
    # the same clip filmed at 60 fps (each frame twice), read at 30
    seen = videos.read_frames(str(folder / 'demo_clip.mp4'))
    videos.write_clip([f for f in seen for _ in range(2)],
                      str(folder / 'demo_clip_60fps.mp4'), fps=60.0)
    predictions = tmp_path / 'predictions.json'
    inferred = run_tool(tool('infer.py'), config, checkpoint, str(folder),
                        '--max-frames', '30', '--out', str(predictions),
                        '--cfg-options', *TINY, cwd=str(tmp_path))
    for name in ('demo_clip', 'demo_clip_60fps'):
        assert (f'note: {folder}/{name}.mp4: 45 frames at 30 fps, the first '
                '30 classified') in inferred
    assert f'skipped: {folder}/empty.mp4: ' in inferred
    from_video, from_60fps, from_json = json.load(open(predictions))['clips']
    assert from_60fps['top'][0]['name'] == from_video['top'][0]['name']
    assert abs(from_60fps['top'][0]['score']
               - from_video['top'][0]['score']) < 0.05
    assert from_video['name'] == 'demo_clip'
    assert from_video['note'].endswith('45 frames at 30 fps, the first 30 '
                                       'classified (--max-frames; '
                                       'tools/demo_video.py gives the '
                                       'actions over time)')
    assert from_json['note'] == (f'{folder}/demo_clip_poses.json: 15 frames '
                                 'past the first 30 left out (--max-frames)')
    assert from_video['top'][0]['name'] in ('clean_and_jerk',
                                             'skateboarding')  # the config's
    assert from_json['top'][0]['name'] == from_video['top'][0]['name']
    assert abs(from_json['top'][0]['score']
               - from_video['top'][0]['score']) < 1e-3

    # a rerun after a video went missing never replaces the arrays with
    # fewer clips unless asked
    os.remove(os.path.join(root, 'skateboarding', 'clip3.mp4'))
    before = {p.name: p.read_bytes() for p in dataset.iterdir()
              if p.is_file()}
    refused = run_tool(tool('videos_to_dataset.py'), root, '--out-dir',
                       str(dataset), '--num-frames', frames, '--val-ratio',
                       '0.25', cwd=str(tmp_path), expect_rc=1)
    assert (f'error: {dataset}/train_data.npy holds 6 clips, this run has '
            '5; nothing was written (give --overwrite') in refused
    assert {p.name: p.read_bytes() for p in dataset.iterdir()
            if p.is_file()} == before
    replaced = run_tool(tool('videos_to_dataset.py'), root, '--out-dir',
                        str(dataset), '--num-frames', frames, '--val-ratio',
                        '0.25', '--overwrite', cwd=str(tmp_path))
    assert '5 training and 2 validation clips' in replaced



def test_kinetics_config_names_the_actions_of_a_video(
        videos, clean_and_jerk_frames, tmp_path):
    import torch

    from stgcn_reg.apis import init_recognizer
    from stgcn_reg.datasets.class_names import KINETICS400_ACTIONS
    config = os.path.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py')
    options = dict(item.split('=', 1) for item in TINY)
    model, _ = init_recognizer(config, cfg_options={
        key: json.loads(value) for key, value in options.items()})
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'k400.pth')
    clip = videos.write_clip(clean_and_jerk_frames[:30],
                             str(tmp_path / 'lift.mp4'))
    timeline = tmp_path / 'lift.json'
    output = run_tool(tool('demo_video.py'), config, 'k400.pth', clip,
                      '--json', str(timeline), '--stride', '10',
                      '--cfg-options', *TINY, cwd=str(tmp_path))
    windows = json.load(open(timeline))['windows']
    assert windows and all(set(w['labels']) <= set(KINETICS400_ACTIONS)
                           for w in windows)
    assert f"{windows[0]['labels'][0]} (" in output


def test_demo_video_with_a_missing_camera(tmp_path):
    output = run_tool(tool('demo_video.py'), 'configs/stgcn_kinetics.py',
                      'none.pth', '9', '--json', str(tmp_path / 't.json'),
                      cwd=REPO_ROOT, expect_rc=1)
    assert output.strip().splitlines()[-1] == (
        'error: camera 9 cannot be opened (no such device, or not '
        'reachable)')
    assert not (tmp_path / 't.json').exists()


def test_demo_video_refuses_amp_for_an_onnx_model(tmp_path):
    output = run_tool(tool('demo_video.py'), 'configs/stgcn_kinetics.py',
                      'm.onnx', '9', '--amp', '--json',
                      str(tmp_path / 't.json'), cwd=REPO_ROOT, expect_rc=1)
    assert output.strip().splitlines()[-1] == (
        'error: --amp: m.onnx runs in ONNX Runtime in float32; use the '
        'torch checkpoint for mixed precision')
    assert not (tmp_path / 't.json').exists()
