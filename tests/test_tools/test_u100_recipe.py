"""The PYSKL-practice configs end to end: train on a PYSKL-format pickle of
variable-length clips with tools/train.py, test with several clips per
sample with tools/test.py (real Runner, tiny model and clips)."""
import os.path as osp
import pickle
import re

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from tool_runner import TINY_MODEL, run_tool, tool

pytestmark = pytest.mark.slow

NUM_CLIPS = 3


def write_pyskl_pickle(path: str) -> None:
    """A tiny ntu60_3danno.pkl look-alike: clips of 7 to 30 frames, one or
    two persons, empty frames at either end, xsub_train / xsub_val."""
    rng = np.random.default_rng(0)
    annotations, split = [], dict(xsub_train=[], xsub_val=[])
    for i in range(18):
        length = int(rng.integers(7, 31))
        label = i % 3
        # a class-dependent pose plus noise, so there is something to learn
        keypoint = rng.normal(label, 0.3, size=(2, length, 25, 3))
        keypoint[:, : i % 3] = 0  # empty leading frames
        if i % 2:
            keypoint[1] = 0  # one person only
        annotations.append(dict(frame_dir=f'S{i:03d}', label=label,
                                keypoint=keypoint.astype(np.float32),
                                total_frames=length))
        split['xsub_val' if i >= 12 else 'xsub_train'].append(f'S{i:03d}')
    with open(path, 'wb') as file:
        pickle.dump(dict(split=split, annotations=annotations), file)


def tiny_options(ann_file: str, config: str) -> list:
    """--cfg-options making the recipe tiny: short clips, 1 repeat, tiny
    model, the fixture pickle; the test keeps NUM_CLIPS clips."""
    model = TINY_MODEL if config.startswith('stgcn_') else [
        'model.backbone.channels=[12,12,24,24]',
        'model.backbone.strides=[1,2,1,1]', 'model.cls_head.in_channels=24'
    ]
    return [
        *model,
        'train_dataloader.dataset.times=1',
        f'train_dataloader.dataset.dataset.ann_file={ann_file}',
        'train_dataloader.dataset.dataset.pipeline.2.clip_len=8',
        f'val_dataloader.dataset.ann_file={ann_file}',
        'val_dataloader.dataset.pipeline.2.clip_len=8',
        f'test_dataloader.dataset.ann_file={ann_file}',
        'test_dataloader.dataset.pipeline.2.clip_len=8',
        f'test_dataloader.dataset.pipeline.2.num_clips={NUM_CLIPS}',
        'test_dataloader.batch_size=4',
    ]


@pytest.mark.parametrize(
    'config', ['stgcn_ntu_xsub_u100.py', 'stgcnpp_ntu_xsub_joint.py'])
def test_train_then_multi_clip_test(tmp_path, config):
    ann_file = str(tmp_path / 'ntu60_3danno.pkl')
    write_pyskl_pickle(ann_file)
    work_dir = str(tmp_path / 'work')
    config_path = osp.join(REPO_ROOT, 'configs', config)
    options = tiny_options(ann_file, config)
    output = run_tool(
        tool('train.py'), config_path, '--work-dir', work_dir, '--device',
        'cpu', '--epochs', '1', '--batch-size', '4', '--num-workers', '0',
        '--seed', '0', '--cfg-options', *options, cwd=str(tmp_path))
    assert 'Epoch(val) [1]' in output
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(checkpoint)
    # the cosine schedule steps every iteration: lr below 0.1 after 1 of
    # 16 epochs (3 iterations of 4 of the 12 training clips)
    state = torch.load(checkpoint, weights_only=False)
    lr = state['optimizer']['param_groups'][0]['lr']
    assert 0.09 < lr < 0.1

    dump = str(tmp_path / 'scores.pkl')
    output = run_tool(
        tool('test.py'), config_path, checkpoint, '--work-dir', work_dir,
        '--device', 'cpu', '--num-workers', '0', '--dump', dump,
        '--cfg-options', *options, cwd=str(tmp_path))
    assert re.search(r'top1\D+\d', output), output[-2000:]
    with open(dump, 'rb') as file:
        scores = pickle.load(file)
    assert scores['sample_names'] == [f'S{i:03d}' for i in range(12, 18)]
    assert scores['scores'].shape == (6, 60)
    # 'prob' averaging: the scores are log mean probabilities
    np.testing.assert_allclose(np.exp(scores['scores']).sum(axis=1), 1.0,
                               rtol=1e-4)
