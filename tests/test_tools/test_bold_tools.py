"""BOLD tools: fixture generator, converter, and training on the fixture."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT
from tool_runner import run_tool, tool

from stgcn_reg.datasets.converters.bold_gendata import generate_bold
from stgcn_reg.datasets.readers.bold_labels import (
    load_bold_labels,
    positive_rates,
)
from stgcn_reg.datasets.synthetic_bold import write_bold_fixture
from stgcn_reg.utils import safe_load_pickle

JOINT_CONFIG = osp.join(REPO_ROOT, 'configs', 'stgcn_bold_joint.py')
TINY_EMOTION_MODEL = [
    'model.backbone.channels=[8,8,16,16]', 'model.backbone.strides=[1,2,1,1]',
    'model.category_head.in_channels=16', 'model.category_head.dropout=0.0',
    'model.dimension_head.in_channels=16', 'model.dimension_head.dropout=0.0'
]


def bold_data_options(folder: str, num_frames: int) -> list:
    """``--cfg-options`` reading ``folder``'s files, window of the data."""
    options = [
        f'{loader}.dataset.{key}={folder}/{split}_{suffix}'
        for loader, split in (('train_dataloader', 'train'),
                              ('val_dataloader', 'val'),
                              ('test_dataloader', 'val'))
        for key, suffix in (('data_path', 'data.npy'),
                            ('label_path', 'label.pkl'))
    ]
    return options + [
        f'train_dataloader.dataset.pipeline.0.window_size={num_frames}']


def test_fixture_and_gendata_command_lines(tmp_path):
    raw, out = str(tmp_path / 'raw'), str(tmp_path / 'out')
    text = run_tool(tool('make_bold_fixture.py'), '--out-dir', raw,
                    '--num-train', '6', '--num-val', '3', '--num-test', '2',
                    '--num-frames', '8', '--with-defects', cwd=str(tmp_path))
    assert 'train 6, val 3, test 2 rows' in text
    assert 'lines 7, 8, 9, 10' in text
    text = run_tool(tool('bold_gendata.py'), '--data_path', raw,
                    '--out_folder', out, '--num_frames', '10', '--splits',
                    'train', 'test', '--workers', '2', '--no-progress',
                    cwd=str(tmp_path))
    assert 'train: 6 of 10 rows written' in text
    assert 'annotations/train.csv, line 9: 3 columns' in text
    assert 'joint file not found' in text and 'person_id 7' in text
    assert 'test: 2 of 2 rows written' in text
    assert np.load(osp.join(out, 'train_data.npy')).shape == (6, 3, 10, 18,
                                                              1)
    assert len(safe_load_pickle(osp.join(out, 'test_label.pkl'))[
        'sample_names']) == 2
    text = run_tool(tool('bold_gendata.py'), '--data-path', out,
                    '--out-folder', out, cwd=str(tmp_path), expect_rc=1)
    assert 'error: split' in text and 'train.csv' in text
    assert 'Traceback' not in text


@pytest.mark.slow
def test_training_on_the_fixture_beats_chance(tmp_path):
    raw, data = str(tmp_path / 'raw'), str(tmp_path / 'data')
    write_bold_fixture(raw, num_train=96, num_val=48, num_test=1,
                       num_frames=32, seed=0)
    generate_bold(raw, data, num_frames=32, workers=2, progress=False)
    work_dir = str(tmp_path / 'work')
    run_tool(tool('train.py'), JOINT_CONFIG, '--device', 'cpu',
             '--work-dir', work_dir, '--epochs', '10', '--eval-interval',
             '10', '--save-interval', '10', '--batch-size', '16',
             '--num-workers', '0', '--seed', '0', '--cfg-options',
             *TINY_EMOTION_MODEL, *bold_data_options(data, 32),
             cwd=str(tmp_path))
    val = load_bold_labels(osp.join(data, 'val_label.pkl'))
    chance = positive_rates(val['categories']).mean()
    assert 0.2 < chance < 0.5
    scalars, = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                  'scalars.json'))
    with open(scalars) as file:
        logs = [json.loads(line) for line in file]
    last = [entry for entry in logs if 'emotion/mAP' in entry][-1]
    assert last['emotion/mAP'] > chance + 0.05, (last, chance)
    for key in ('emotion/mRA', 'emotion/mR2', 'emotion/ERS'):
        assert np.isfinite(last[key])

    dump = str(tmp_path / 'scores.pkl')
    text = run_tool(tool('test.py'), JOINT_CONFIG,
                    osp.join(work_dir, 'epoch_10.pth'), '--device', 'cpu',
                    '--work-dir', work_dir, '--num-workers', '0', '--dump',
                    dump, '--cfg-options', *TINY_EMOTION_MODEL,
                    *bold_data_options(data, 32), cwd=str(tmp_path))
    assert 'emotion/ERS' in text and 'emotion/mAP' in text
    scores = safe_load_pickle(dump)
    assert scores['scores'].shape == (48, 26)
    assert scores['sample_names'] == val['sample_names']

