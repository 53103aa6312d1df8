"""Kinetics-skeleton conversion: package function and tools/ command line."""

import glob
import json
import os
import os.path as osp
import pickle
import subprocess

import numpy as np
import pytest
from conftest import REPO_ROOT
from tool_runner import run_python

from stgcn_reg.datasets import SkeletonDataset
from stgcn_reg.datasets.converters.gendata_outputs import OutputRefusedError
from stgcn_reg.datasets.converters.kinetics_gendata import generate_kinetics
from stgcn_reg.datasets.converters.kinetics_summary import (
    format_kinetics_summary,
)

TOOL = osp.join(REPO_ROOT, 'tools', 'kinetics_gendata.py')


def run_gendata(folder, *args: str) -> subprocess.CompletedProcess:
    """tools/kinetics_gendata.py in ``folder``, one thread per process."""
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    return run_python([TOOL, *args], cwd=str(folder), env=env, timeout=120)


def video(*frames, base: int = 1) -> dict:
    """A video whose frame ``base + i`` holds one person scoring
    ``frames[i]``."""
    return dict(
        data=[
            dict(
                frame_index=base + i,
                skeleton=[dict(pose=[0.5, 0.25] * 18, score=[s] * 18)],
            )
            for i, s in enumerate(frames)
        ],
        label='x',
        label_index=0,
    )


def write_json(path, content) -> None:
    with open(path, 'w') as file:
        file.write(
            content if isinstance(content, str) else json.dumps(content)
        )


def make_release(root, shared_data=None) -> dict:
    """A release layout under ``root``; returns the expected val labels.

    val: the shared real files (symlinked, never copied into the repo)
    plus synthetic edge cases; train: two synthetic videos.
    """
    labels = {'train': {}, 'val': {}}
    files = {'train': {}, 'val': {}}
    files['train'] = {'t_b': video(0.5, 0.5), 't_a': video(0.9)}
    labels['train'] = {
        't_a': dict(has_skeleton=True, label='a', label_index=3),
        't_b': dict(has_skeleton=True, label='b', label_index=1),
    }
    edge_cases = {
        # name: (file content, label entry or None)
        'e_empty_data': ('{"data": [], "label": "x", "label_index": 5}', 5),
        'e_invalid': ('{"data": [', 5),
        'e_no_skeleton': (video(0.3), False),
        'e_unlabelled': (video(0.3), None),
        'e_late-frames': (
            dict(
                video(0.7, 0.7),
                data=video(0.7, 0.7)['data']
                + [dict(frame_index=301, skeleton=[])],
            ),
            7,
        ),
        'e_short_pose': (
            '{"data": [{"frame_index": 1, "skeleton": '
            '[{"pose": [0.1], "score": [1]}]}]}',
            5,
        ),
    }
    for name, (content, label) in edge_cases.items():
        files['val'][name] = content
        if label is not None:
            labels['val'][name] = dict(
                has_skeleton=label is not False,
                label='x',
                label_index=label or 0,
            )
    labels['val']['e_label_without_file'] = dict(
        has_skeleton=True, label='x', label_index=1
    )
    if shared_data:
        shared = osp.join(shared_data, 'kinetics')
        with open(osp.join(shared, 'val_label.json')) as file:
            labels['val'].update(json.load(file))
    for split in ('train', 'val'):
        folder = osp.join(root, f'kinetics_{split}')
        os.makedirs(folder)
        for name, content in files[split].items():
            write_json(osp.join(folder, f'{name}.json'), content)
        write_json(
            osp.join(root, f'kinetics_{split}_label.json'), labels[split]
        )
    if shared_data:
        for path in glob.glob(osp.join(shared, 'val', '*.json')):
            os.symlink(
                path, osp.join(root, 'kinetics_val', osp.basename(path))
            )
    open(osp.join(root, 'kinetics_val', 'notes.txt'), 'w').close()
    return labels


def test_generate_reports_every_skip(tmp_path):
    make_release(str(tmp_path / 'raw'))
    out = str(tmp_path / 'out')
    summaries = generate_kinetics(
        str(tmp_path / 'raw'), out, workers=2, progress=False
    )
    train = summaries['train']
    assert train['written'] == 2 and not train['skipped']
    data = np.load(osp.join(out, 'train_data.npy'))
    assert data.shape == (2, 3, 300, 18, 2) and data.dtype == np.float32
    with open(osp.join(out, 'train_label.pkl'), 'rb') as file:
        assert pickle.load(file) == (['t_a.json', 't_b.json'], [3, 1])
    assert data[0, 2, :2, 0, 0].tolist() == pytest.approx([0.9, 0])
    assert data[1, 0, 0, 0, 0] == pytest.approx(0)  # x 0.5 centred

    val = summaries['val']
    assert val['written'] == 1 and val['json_files'] == 6
    reasons = {s['name']: s['reason'] for s in val['skipped']}
    assert sorted(reasons) == [
        'e_empty_data.json',
        'e_invalid.json',
        'e_no_skeleton.json',
        'e_short_pose.json',
        'e_unlabelled.json',
    ]
    assert reasons['e_no_skeleton.json'] == 'has_skeleton is false'
    assert reasons['e_unlabelled.json'] == 'not in kinetics_val_label.json'
    assert 'no skeleton frames' in reasons['e_empty_data.json']
    assert 'invalid JSON' in reasons['e_invalid.json']
    assert 'has 1 values, expected 36' in reasons['e_short_pose.json']
    assert val['dropped_frames'] == {'e_late-frames.json': 1}
    assert val['labels_without_file'] == ['e_label_without_file']
    with open(osp.join(out, 'val_gendata_summary.json')) as file:
        saved = json.load(file)
    assert saved['skipped'] == val['skipped'] and saved['written'] == 1
    assert sorted(os.listdir(out)) == [
        f'{split}_{suffix}'
        for split in ('train', 'val')
        for suffix in ('data.npy', 'gendata_summary.json', 'label.pkl')
    ]
    text = format_kinetics_summary(val)
    assert 'val: 1 of 6 videos written' in text
    assert 'skipped 1 (has_skeleton is false): e_no_skeleton.json' in text
    assert 'skipped 3 unreadable or without skeleton' in text
    assert 'dropped in 1 videos' in text and 'e_label_without_file' in text


def test_missing_inputs_fail_before_writing(tmp_path):
    make_release(str(tmp_path / 'raw'))
    os.remove(tmp_path / 'raw' / 'kinetics_val_label.json')
    out = tmp_path / 'out'
    with pytest.raises(FileNotFoundError, match='kinetics_val_label.json'):
        generate_kinetics(str(tmp_path / 'raw'), str(out), progress=False)
    assert not out.exists()
    proc = run_gendata(
        tmp_path,
        '--data_path',
        str(tmp_path / 'missing'),
        '--out_folder',
        str(out),
        '--splits',
        'val',
    )
    assert proc.returncode == 1
    assert 'error:' in proc.stderr and 'kinetics_val' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_tool_end_to_end_on_real_files(tmp_path, shared_data):
    labels = make_release(str(tmp_path / 'raw'), shared_data)
    out = tmp_path / 'out'
    proc = run_gendata(
        tmp_path,
        '--data-path',
        str(tmp_path / 'raw'),
        '--out-folder',
        str(out),
        '--workers',
        '2',
        '--no-progress',
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'val: 5 of 10 videos written' in proc.stdout

    data = np.load(out / 'val_data.npy', mmap_mode='r')
    assert data.shape == (5, 3, 300, 18, 2) and data.dtype == np.float32
    with open(out / 'val_label.pkl', 'rb') as file:
        names, label_list = pickle.load(file)
    ids = [name[: -len('.json')] for name in names]
    assert ids == sorted(ids) and ids[-1] == 'e_late-frames'
    assert label_list == [labels['val'][i]['label_index'] for i in ids]
    assert label_list == [0, 58, 207, 207, 7]
    # each real sample is what the reader gives for its file
    from stgcn_reg.datasets.readers.kinetics_json import read_kinetics_json

    for row, name in enumerate(names[:4]):
        expected = read_kinetics_json(
            osp.join(shared_data, 'kinetics', 'val', name)
        )
        np.testing.assert_array_equal(data[row], expected)

    dataset = SkeletonDataset(
        str(out / 'val_data.npy'),
        str(out / 'val_label.pkl'),
        layout='openpose',
        num_classes=400,
    )
    assert len(dataset) == 5
    item = dataset[0]
    assert tuple(item['inputs'].shape) == (3, 300, 18, 2)
    assert item['data_samples']['label'] == 0


def test_rerun_never_loses_samples(tmp_path):
    raw, out = tmp_path / 'raw', tmp_path / 'out'
    make_release(str(raw))
    generate_kinetics(str(raw), str(out), workers=1, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (raw / 'kinetics_train' / 't_a.json').write_text('{"data": [')
    with pytest.raises(OutputRefusedError) as error:
        generate_kinetics(str(raw), str(out), workers=1, progress=False)
    assert (f'{out / "train_data.npy"} holds 2 samples, this run has 1'
            in str(error.value)) and '--overwrite' in str(error.value)
    # no readable video at all: refused even with overwrite
    (raw / 'kinetics_train' / 't_b.json').write_text('')
    (raw / 'kinetics_val' / 'e_late-frames.json').write_text('')
    with pytest.raises(OutputRefusedError, match='no sample of') as error:
        generate_kinetics(str(raw), str(out), workers=1, progress=False,
                          overwrite=True)
    assert 'invalid JSON' in dict(error.value.skipped)['t_a.json']
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
