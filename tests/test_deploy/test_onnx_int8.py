"""tools/export_onnx.py --int8: a trained model quantised to int8 keeps its
predictions on held-out clips and runs in tools/infer.py."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import write_skeleton_files
from tool_runner import DEMO_CONFIG, run_tool, tool

from stgcn_reg.datasets.synthetic_actions import make_dataset

pytest.importorskip('onnxruntime')
pytestmark = pytest.mark.slow

# a small demo model that learns the synthetic actions in a few epochs
WIDTHS = {'model.backbone.channels': [16, 16, 32, 32],
          'model.backbone.strides': [1, 2, 1, 2],
          'model.cls_head.in_channels': 32,
          'model.backbone.dropout': 0.1}
EPOCHS = 9


def cfg_options(folder: str, split: str) -> dict:
    """WIDTHS, and the test loader reading ``split``'s files."""
    return {**WIDTHS,
            'test_dataloader.dataset.data_path': f'{folder}/{split}_data.npy',
            'test_dataloader.dataset.label_path':
            f'{folder}/{split}_label.pkl'}


def as_cli(options: dict) -> list:
    return [f'{key}={json.dumps(value) if isinstance(value, list) else value}'
            for key, value in options.items()]


def train(model: torch.nn.Module, clips: list, labels: list) -> None:
    """SGD on the clips (as the test pipeline gave them), in place."""
    x, y = torch.from_numpy(np.stack(clips)), torch.tensor(labels)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9,
                                nesterov=True, weight_decay=1e-4)
    steps = EPOCHS * (len(x) // 16)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    generator = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(EPOCHS):
        for batch in torch.randperm(len(x), generator=generator).view(-1, 16):
            loss = torch.nn.functional.cross_entropy(
                model(x[batch], mode='tensor'), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
    model.eval()


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """A trained checkpoint, its data folder and held-out clips."""
    from mmengine.runner.checkpoint import save_checkpoint

    from stgcn_reg.apis import init_recognizer
    from stgcn_reg.apis.calibration import dataset_clips
    folder = str(tmp_path_factory.mktemp('int8'))
    labels = {}
    for split, count, seed in (('train', 192, 1), ('val', 96, 2)):
        data, names, labels[split] = make_dataset(count, 32, seed)
        write_skeleton_files(folder, split, data, labels[split], names)
    torch.manual_seed(0)
    model, cfg = init_recognizer(DEMO_CONFIG,
                                 cfg_options=cfg_options(folder, 'train'))
    model.init_weights()
    train(model, dataset_clips(cfg, 10**6), labels['train'])
    checkpoint = osp.join(folder, 'trained.pth')
    save_checkpoint(dict(meta=dict(epoch=EPOCHS),
                         state_dict=model.state_dict()), checkpoint)
    _, val_cfg = init_recognizer(DEMO_CONFIG,
                                 cfg_options=cfg_options(folder, 'val'))
    return dict(folder=folder, checkpoint=checkpoint, model=model,
                val=np.stack(dataset_clips(val_cfg, 10**6)),
                val_labels=np.array(labels['val']))


def export(trained, out: str, *flags: str, expect_rc: int = 0) -> str:
    return run_tool(
        tool('export_onnx.py'), DEMO_CONFIG, trained['checkpoint'], '--out',
        out, '--frames', '32', *flags, '--cfg-options',
        *as_cli(cfg_options(trained['folder'], 'val')),
        cwd=trained['folder'], expect_rc=expect_rc)


def test_int8_keeps_the_predictions_and_runs_in_infer(trained):
    from stgcn_reg.deploy import OnnxRecognizer
    folder = trained['folder']
    out = osp.join(folder, 'int8.onnx')
    output = export(trained, out, '--int8', '--calibration-clips', '48')
    assert 'int8: calibrated on 24 test clips; on 24 others' in output
    assert 'int8;' in output.splitlines()[-1]
    int8 = OnnxRecognizer(out)
    assert int8.metadata['precision'] == 'int8'
    assert float(int8.metadata['int8_top1_agreement']) >= 0.9
    with torch.no_grad():
        ours = trained['model'](torch.from_numpy(trained['val']),
                                mode='tensor').numpy().argmax(1)
    theirs = int8.logits(trained['val']).argmax(1)
    accuracy = (ours == trained['val_labels']).mean()
    assert accuracy > 0.6, accuracy  # the task is learnt (chance 0.125)
    assert (theirs == ours).mean() >= 0.9
    assert (theirs == trained['val_labels']).mean() >= accuracy - 0.05
    listing = run_tool(tool('infer.py'), DEMO_CONFIG, out,
                       osp.join(folder, 'val_data.npy'), cwd=folder)
    assert 'val_data#95' in listing


def test_too_few_clips_and_bad_flags_write_nothing(trained):
    out = osp.join(trained['folder'], 'refused.onnx')
    for flags, message in (
            (('--calibration-clips', '1'),
             'error: int8: 1 calibration clip(s); need at least 2'),
            (('--min-agreement', '2'),
             'error: --min-agreement must lie in [0, 1], got 2.0')):
        output = export(trained, out, '--int8', *flags, expect_rc=1)
        assert output.strip().splitlines()[-1].startswith(message), output
        assert not osp.exists(out)
