"""tools/infer.py against a tiny model trained by tools/train.py."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    run_tool,
    tool,
)

from stgcn_reg.apis import init_recognizer
from stgcn_reg.evaluation import load_score_dump

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def trained(demo_data, tmp_path_factory) -> tuple:
    """(data folder, checkpoint) of a 1-epoch tiny demo model."""
    data = demo_data
    work_dir = str(tmp_path_factory.mktemp('work'))
    run_tool(tool('train.py'), DEMO_CONFIG, '--work-dir', work_dir,
             '--device', 'cpu', '--epochs', '1', '--batch-size', '8',
             '--seed', '0', '--cfg-options', *TINY_MODEL,
             *data_options(data), cwd=work_dir)
    return data, osp.join(work_dir, 'epoch_1.pth')


def softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def test_npy_clips_match_the_test_tool(trained, tmp_path):
    data, checkpoint = trained
    val = np.load(osp.join(data, 'val_data.npy'))
    clips = tmp_path / 'clips'
    clips.mkdir()
    np.save(clips / 'stack.npy', val)
    np.save(clips / 'one.npy', val[3])
    output = run_tool(tool('infer.py'), DEMO_CONFIG, checkpoint,
                      str(clips), '--out', 'predictions.json',
                      '--cfg-options', *TINY_MODEL, cwd=str(tmp_path))
    assert output.splitlines()[0].split() == ['clip', 'true', 'rank',
                                              'class', 'score']
    predictions = json.load(open(tmp_path / 'predictions.json'))
    records = {clip['name']: clip for clip in predictions['clips']}
    assert list(records) == ['one'] + [f'stack#{i}' for i in range(16)]
    assert predictions['errors'] == []

    # tools/test.py on the same clips: same weights, same test pipeline
    dump = str(tmp_path / 'scores.pkl')
    run_tool(tool('test.py'), DEMO_CONFIG, checkpoint, '--work-dir',
             str(tmp_path / 'test'), '--dump', dump, '--cfg-options',
             *TINY_MODEL, *data_options(data), cwd=str(tmp_path))
    expected = softmax(load_score_dump(dump)['scores'])
    inferred = np.array([records[f'stack#{i}']['scores'] for i in range(16)])
    np.testing.assert_allclose(inferred, expected, atol=1e-5)
    np.testing.assert_allclose(records['one']['scores'], expected[3],
                               atol=1e-5)
    top = records['stack#0']['top']
    assert len(top) == 5 and top[0]['index'] == int(expected[0].argmax())
    assert top[0]['score'] == pytest.approx(expected[0].max(), abs=1e-6)


def test_bf16_inference_agrees_with_fp32(trained, tmp_path):
    data, checkpoint = trained
    np.save(tmp_path / 'val.npy', np.load(osp.join(data, 'val_data.npy')))
    scores = {}
    for name, flags in (('fp32', []), ('bf16', ['--amp-dtype', 'bf16'])):
        output = run_tool(tool('infer.py'), DEMO_CONFIG, checkpoint,
                          'val.npy', '--out', f'{name}.json', *flags,
                          '--cfg-options', *TINY_MODEL, cwd=str(tmp_path))
        clips = json.load(open(tmp_path / f'{name}.json'))['clips']
        scores[name] = np.array([clip['scores'] for clip in clips])
    assert 'mixed precision: bfloat16 autocast on cpu' in output
    assert scores['bf16'].shape == (16, scores['fp32'].shape[1])
    assert not np.array_equal(scores['bf16'], scores['fp32'])  # it ran bf16
    np.testing.assert_allclose(scores['bf16'], scores['fp32'], atol=0.02)
    # ONNX Runtime runs float32 only: --amp with a .onnx file is refused
    (tmp_path / 'm.onnx').write_bytes(b'not read')
    output = run_tool(tool('infer.py'), DEMO_CONFIG, 'm.onnx', 'val.npy',
                      '--amp', cwd=str(tmp_path), expect_rc=1)
    assert 'error: --amp: m.onnx runs in ONNX Runtime in float32' in output


def test_real_ntu_files(trained, shared_data, tmp_path):
    _, checkpoint = trained
    output = run_tool(tool('infer.py'), DEMO_CONFIG, checkpoint,
                      osp.join(shared_data, 'ntu'), '--out', 'ntu.json',
                      '--topk', '3', '--cfg-options', *TINY_MODEL,
                      cwd=str(tmp_path))
    predictions = json.load(open(tmp_path / 'ntu.json'))
    labels = {clip['name']: clip['label'] for clip in predictions['clips']}
    assert labels == {'S001C001P001R001A001': 0, 'S001C001P001R001A011': 10,
                      'S002C001P003R001A003': 2, 'S004C002P003R001A017': 16}
    assert all(len(clip['top']) == 3 for clip in predictions['clips'])
    assert 'S004C002P003R001A017  16' in output
    # the demo model takes 25 joints: Kinetics clips are refused by name,
    # and the run that predicts nothing leaves the earlier --out as it was
    written = (tmp_path / 'ntu.json').read_bytes()
    output = run_tool(tool('infer.py'), DEMO_CONFIG, checkpoint,
                      osp.join(shared_data, 'kinetics', 'val'),
                      '--out', 'ntu.json', '--cfg-options', *TINY_MODEL,
                      cwd=str(tmp_path), expect_rc=1)
    assert 'skipped: ' in output and '__NrybzYzUg.json' in output
    assert 'V=25' in output and 'no clip of' in output
    assert (tmp_path / 'ntu.json').read_bytes() == written


def test_real_kinetics_files_with_class_names(shared_data, tmp_path):
    config = osp.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py')
    options = {'model.backbone.channels': [8, 8, 16, 16],
               'model.backbone.strides': [1, 2, 1, 1],
               'model.cls_head.in_channels': 16}
    model, _ = init_recognizer(config, cfg_options=options)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'k.pth')
    names_file = osp.join(shared_data, 'kinetics', 'label_name.txt')
    names = open(names_file).read().splitlines()
    run_tool(tool('infer.py'), config, 'k.pth',
             osp.join(shared_data, 'kinetics', 'val'), '--label-names',
             names_file, '--out', 'kinetics.json', '--cfg-options',
             *TINY_MODEL, cwd=str(tmp_path))
    truth = json.load(open(osp.join(shared_data, 'kinetics',
                                    'val_label.json')))
    predictions = json.load(open(tmp_path / 'kinetics.json'))
    assert len(predictions['clips']) == 4
    for clip in predictions['clips']:
        assert clip['label_name'] == truth[clip['name']]['label']
        assert [t['name'] for t in clip['top']] == [
            names[t['index']] for t in clip['top']]
        assert sum(clip['scores']) == pytest.approx(1.0)
    # the OpenPose demo output: one clip, one empty file reported
    output = run_tool(tool('infer.py'), config, 'k.pth',
                      osp.join(shared_data, 'openpose_demo'), '--out',
                      'demo.json', '--cfg-options', *TINY_MODEL,
                      cwd=str(tmp_path))
    demo = json.load(open(tmp_path / 'demo.json'))
    assert [clip['name'] for clip in demo['clips']] == ['clean_and_jerk']
    assert demo['clips'][0]['label'] is None
    # no --label-names: the config's Kinetics names, the same ones
    assert [t['name'] for t in demo['clips'][0]['top']] == [
        names[t['index']] for t in demo['clips'][0]['top']]
    assert len(demo['errors']) == 1 and 'skateboarding' in output
