"""tools/infer.py and tools/demo_video.py on an exported .onnx model: the
same predictions as on its .pth for real NTU and Kinetics clips, and clear
errors for a bad file or a config that does not match it."""
import json
import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT
from onnx_fixtures import (
    NAMES,
    TINY,
    exported_demo_model,
    save_tiny_checkpoint,
)
from tool_runner import TINY_MODEL, run_tool, tool

from stgcn_reg.apis import (
    build_test_pipeline,
    load_recognizer,
    predict_clip,
    read_clips,
)
from stgcn_reg.apis.video_inference import (
    SlidingWindowClassifier,
    temporal_receptive_field,
)
from stgcn_reg.deploy import OnnxRecognizer, export_metadata, export_onnx

onnx = pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')
KINETICS = osp.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py')
U100 = osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub_u100.py')


@pytest.fixture(scope='module')
def exported(tmp_path_factory) -> dict:
    return exported_demo_model(tmp_path_factory)


def export_in_process(config: str, folder, frames: int) -> tuple:
    """(checkpoint, .onnx) of a tiny randomised model of ``config``."""
    checkpoint = save_tiny_checkpoint(config, str(folder / 'model.pth'))
    model, _ = load_recognizer(config, checkpoint, cfg_options=TINY)
    out = str(folder / 'model.onnx')
    metadata = export_metadata(model, temporal_receptive_field(model))
    shape = (2, model.backbone.in_channels, frames, model.backbone.num_node,
             2)
    export_onnx(model, out, metadata, shape)
    return checkpoint, out


def infer(config: str, checkpoint: str, clips: str, cwd: str,
          *options: str) -> tuple:
    """(table lines, JSON records) of tools/infer.py."""
    out = osp.join(cwd, osp.basename(checkpoint) + '.json')
    output = run_tool(tool('infer.py'), config, checkpoint, clips, '--out',
                      out, '--cfg-options', *TINY_MODEL, *options, cwd=cwd)
    return output.splitlines()[:-1], json.load(open(out))['clips']


def assert_same_predictions(pth: tuple, onnx_run: tuple) -> None:
    # the printed tables but for the scores, compared below as numbers
    assert [line.rsplit(None, 1)[0] for line in pth[0]] == [
        line.rsplit(None, 1)[0] for line in onnx_run[0]]
    assert len(pth[1]) == len(onnx_run[1])
    for ours, theirs in zip(pth[1], onnx_run[1]):
        assert ours['top'][0]['index'] == theirs['top'][0]['index']
        np.testing.assert_allclose(theirs['scores'], ours['scores'],
                                   rtol=1e-4, atol=1e-6)


def test_infer_on_real_ntu_clips(exported, shared_data):
    folder, ntu = exported['folder'], osp.join(shared_data, 'ntu')
    pth = infer(exported['config'], exported['checkpoint'], ntu, folder,
                '--label-names', exported['names'])
    # the .onnx file carries the class names
    onnx_run = infer(exported['config'], exported['onnx'], ntu, folder)
    assert_same_predictions(pth, onnx_run)
    assert len(pth[1]) == 4 and pth[1][0]['top'][0]['name'] in NAMES
    scores = np.array([clip['scores'] for clip in pth[1]])
    assert np.ptp(scores, axis=0).max() > 1e-4  # the clips differ


def test_infer_on_real_kinetics_clips(shared_data, tmp_path):
    checkpoint, model = export_in_process(KINETICS, tmp_path, 32)
    clips = osp.join(shared_data, 'kinetics', 'val')
    pth = infer(KINETICS, checkpoint, clips, str(tmp_path))
    onnx_run = infer(KINETICS, model, clips, str(tmp_path))
    assert_same_predictions(pth, onnx_run)
    assert len(pth[1]) == 4


def test_ten_clip_test_pipeline_averages_as_ours(shared_data, tmp_path):
    checkpoint, model = export_in_process(U100, tmp_path, 100)
    clips, errors = read_clips(osp.join(shared_data, 'ntu'))
    assert not errors
    ours, cfg = load_recognizer(U100, checkpoint, cfg_options=TINY)
    runner, _ = load_recognizer(U100, model, cfg_options=TINY)
    pipeline = build_test_pipeline(cfg)
    for clip in clips[:2]:
        expected = predict_clip(ours, pipeline, clip).scores
        np.testing.assert_allclose(predict_clip(runner, pipeline,
                                                clip).scores, expected,
                                   rtol=1e-4, atol=1e-6)


def test_sliding_windows_of_video_poses_as_ours(tmp_path):
    checkpoint, model = export_in_process(KINETICS, tmp_path, 32)
    ours, cfg = load_recognizer(KINETICS, checkpoint, cfg_options=TINY)
    runner, _ = load_recognizer(KINETICS, model, cfg_options=TINY)
    assert temporal_receptive_field(runner) == temporal_receptive_field(ours)
    rng = np.random.default_rng(0)
    from stgcn_reg.pose.estimator import PersonPose
    frames = [[PersonPose(rng.uniform(0, 1, (18, 2)).astype(np.float32),
                          rng.uniform(0.5, 1, 18).astype(np.float32))]
              for _ in range(12)]
    results = []
    for model_ in (ours, runner):
        classifier = SlidingWindowClassifier(model_, cfg, 'openpose', 8, 2,
                                             topk=3)
        results.append([classifier.push(people) for people in frames])
    for a, b in zip(*results):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.labels == b.labels
            np.testing.assert_allclose(a.scores, b.scores, rtol=1e-4,
                                       atol=1e-6)


def test_clear_errors(exported, shared_data, tmp_path):
    ntu, cwd = osp.join(shared_data, 'ntu'), str(tmp_path)
    bad = tmp_path / 'bad.onnx'
    bad.write_bytes(open(exported['onnx'], 'rb').read()[:3000])
    output = run_tool(tool('infer.py'), exported['config'], str(bad), ntu,
                      cwd=cwd, expect_rc=1)
    assert output.strip().startswith(f'error: {bad}: not a valid ONNX')
    assert len(output.strip().splitlines()) == 1
    wrong = run_tool(tool('infer.py'), KINETICS, exported['onnx'], ntu,
                     '--cfg-options', *TINY_MODEL, cwd=cwd, expect_rc=1)
    assert (f"error: {exported['onnx']} was not exported from the model of "
            f'config {KINETICS}: graph_layout: file ') in wrong
    assert "num_classes: file '8', config '400'" in wrong
    classes = run_tool(tool('infer.py'), exported['config'],
                       exported['onnx'], ntu, '--cfg-options', *TINY_MODEL,
                       'model.cls_head.num_classes=9', cwd=cwd, expect_rc=1)
    assert "num_classes: file '8', config '9'" in classes
    # no onnxruntime: one line saying what to install
    (tmp_path / 'onnxruntime.py').write_text(
        "raise ImportError('No module named onnxruntime')\n")
    missing = run_tool(tool('infer.py'), exported['config'],
                       exported['onnx'], ntu, cwd=cwd, expect_rc=1,
                       extra_env=dict(PYTHONPATH=cwd))
    assert missing.strip().splitlines() == [
        'error: onnxruntime is not installed (No module named onnxruntime)'
        "; install it: pip install -e '.[onnx]' (onnx==1.22.0, "
        'onnxruntime==1.32.0)']


def test_an_onnx_file_without_our_metadata(exported, tmp_path):
    proto = onnx.load(exported['onnx'])
    del proto.metadata_props[:]
    path = str(tmp_path / 'plain.onnx')
    onnx.save(proto, path)
    with pytest.raises(ValueError, match='no stgcn_reg metadata'):
        OnnxRecognizer(path)
    with pytest.raises(FileNotFoundError, match='does not exist'):
        OnnxRecognizer(str(tmp_path / 'none.onnx'))
    with pytest.raises(ValueError, match='runs in ONNX Runtime on the CPU'):
        load_recognizer(exported['config'], exported['onnx'], 'cuda')


@pytest.mark.slow
def test_demo_video_runs_the_onnx_model(tmp_path):
    from video_fixtures import (
        CLEAN_AND_JERK,
        need_videos,
        read_frames,
        write_clip,
    )
    need_videos()
    clip = write_clip(read_frames(CLEAN_AND_JERK)[:30],
                      str(tmp_path / 'clip.mp4'))
    checkpoint, model = export_in_process(KINETICS, tmp_path, 32)
    timelines = []
    for weights in (checkpoint, model):
        out = str(tmp_path / f'{osp.basename(weights)}.json')
        output = run_tool(tool('demo_video.py'), KINETICS, weights, clip,
                          '--json', out, '--window', '16', '--stride', '8',
                          '--cfg-options', *TINY_MODEL, cwd=str(tmp_path))
        assert 'window 16 frames' in output
        timelines.append(json.load(open(out))['windows'])
    assert len(timelines[0]) == len(timelines[1]) > 1
    for ours, theirs in zip(*timelines):
        assert ours['labels'] == theirs['labels']
        np.testing.assert_allclose(theirs['scores'], ours['scores'],
                                   rtol=1e-4, atol=1e-5)
