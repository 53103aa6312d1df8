"""Predicting single clips: weights loaded safely, test pipeline applied."""
import numpy as np
import pytest
import torch
from reference_stgcn import TINY_BLOCKS, reference
from tool_runner import DEMO_CONFIG

from stgcn_reg.apis import (
    Clip,
    ClipPrediction,
    build_test_pipeline,
    check_label_names,
    format_table,
    init_recognizer,
    load_label_names,
    model_layout,
    predict_clip,
    prediction_record,
)
from stgcn_reg.checkpoints.safe_loading import UnsafeCheckpointError
from stgcn_reg.datasets.transforms import CenterSkeleton
from stgcn_reg.engine.hooks import CheckpointMismatchError

TINY = {
    'model.backbone.channels': [8, 8, 16, 16],
    'model.backbone.strides': [1, 2, 1, 1],
    'model.cls_head.in_channels': 16,
}


def random_clip(seed: int = 0) -> Clip:
    data = np.random.default_rng(seed).normal(size=(3, 12, 25, 2))
    return Clip('clip', 'clip.npy', data.astype(np.float32), label=3)


@pytest.fixture
def checkpoint(tmp_path) -> str:
    """A tiny demo model's weights in an mmengine-style checkpoint."""
    model, _ = init_recognizer(DEMO_CONFIG, cfg_options=TINY)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.1)
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), path)
    return path


def test_weights_loaded_and_pipeline_applied(checkpoint):
    model, cfg = init_recognizer(DEMO_CONFIG, checkpoint, cfg_options=TINY)
    assert not model.training and model_layout(model) == 'ntu-rgb+d'
    saved = torch.load(checkpoint, weights_only=True)['state_dict']
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, saved[key], rtol=0, atol=0)
    clip = random_clip()
    prediction = predict_clip(model, build_test_pipeline(cfg), clip)
    # the demo test pipeline centres each body on joint 1
    centred = CenterSkeleton(center_joint=1)(dict(keypoint=clip.data))
    with torch.no_grad():
        logits = model(torch.from_numpy(centred['keypoint'])[None])
        raw = model(torch.from_numpy(clip.data)[None])
    expected = torch.softmax(logits, 1)[0].numpy()
    np.testing.assert_allclose(prediction.scores, expected, atol=1e-6)
    assert prediction.scores.sum() == pytest.approx(1.0)
    assert not np.allclose(expected, torch.softmax(raw, 1)[0].numpy())


def test_original_stgcn_weights_are_converted(tmp_path):
    original = reference('ntu-rgb+d', 'spatial', 8, blocks=TINY_BLOCKS)
    path = str(tmp_path / 'st_gcn.pt')
    torch.save(original.state_dict(), path)
    model, cfg = init_recognizer(DEMO_CONFIG, path, cfg_options=TINY)
    clip = random_clip(1)
    prediction = predict_clip(model, build_test_pipeline(cfg), clip)
    centred = CenterSkeleton(center_joint=1)(dict(keypoint=clip.data))
    with torch.no_grad():
        expected = torch.softmax(
            original(torch.from_numpy(centred['keypoint'])[None]), 1)[0]
    np.testing.assert_allclose(prediction.scores, expected.numpy(),
                               atol=1e-5)


def test_checkpoint_of_another_model_is_refused(checkpoint):
    with pytest.raises(CheckpointMismatchError,
                       match=r'does not fit the model[\s\S]*shape'):
        init_recognizer(DEMO_CONFIG, checkpoint)  # full-size demo model


def test_unsafe_checkpoint_is_refused(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, hook=print), path)
    with pytest.raises(UnsafeCheckpointError, match='allowlist'):
        init_recognizer(DEMO_CONFIG, path, cfg_options=TINY)


def test_clip_that_does_not_fit_names_its_file(checkpoint):
    model, cfg = init_recognizer(DEMO_CONFIG, checkpoint, cfg_options=TINY)
    clip = Clip('k', 'kinetics/k.json', np.ones((3, 8, 18, 2), np.float32))
    with pytest.raises(ValueError, match=r'kinetics/k.json \(k\).*V=25'):
        predict_clip(model, build_test_pipeline(cfg), clip)


def test_label_names_and_reports(tmp_path):
    names_file = tmp_path / 'names.txt'
    names_file.write_text('walk\nrun\r\nsit\n\n')
    names = load_label_names(str(names_file))
    assert names == ['walk', 'run', 'sit']
    check_label_names(names, 3, 'names.txt')
    with pytest.raises(ValueError, match='has 3 names but the model has 4'):
        check_label_names(names, 4, 'names.txt')
    prediction = ClipPrediction(
        Clip('a', 'a.npy', np.zeros(1), label=2), np.array([0.2, 0.7, 0.1]))
    assert prediction.top(2) == [(1, 0.7), (0, 0.2)]
    record = prediction_record(prediction, names, topk=2)
    assert record['label_name'] == 'sit'
    assert record['top'] == [dict(index=1, name='run', score=0.7),
                             dict(index=0, name='walk', score=0.2)]
    assert record['scores'] == [0.2, 0.7, 0.1]
    assert prediction_record(prediction)['top'][0]['name'] is None
    table = format_table([prediction], names, topk=2).splitlines()
    assert table[0].split() == ['clip', 'true', 'rank', 'class', 'score']
    assert table[1].split() == ['a', '2', 'sit', '1', '1', 'run', '0.7000']
    assert table[2].split() == ['2', '0', 'walk', '0.2000']
