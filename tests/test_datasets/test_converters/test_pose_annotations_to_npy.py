"""MMAction2 / PYSKL pickle -> npy + label pkl, read back by the feeders."""

import os
import os.path as osp
import pickle
import runpy

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT

from stgcn_reg.datasets import PoseAnnotationDataset, SkeletonDataset
from stgcn_reg.datasets.converters.pose_annotations_to_npy import (
    convert_pose_annotations,
)
from stgcn_reg.utils import safe_load_pickle

TOOL = osp.join(REPO_ROOT, 'tools', 'pose_pkl_to_npy.py')


def write_pose_pickle(path, dims: int, num: int = 5) -> str:
    """Tiny MMAction2-style file: 2D coco with scores or 3D ntu without.

    Clip i has 1 + i % 3 persons and 4 + 2 * i frames; split 'train'
    holds the even clips, 'val' the odd ones.
    """
    rng = np.random.default_rng(dims)
    joints = 17 if dims == 2 else 25
    annotations = []
    for i in range(num):
        shape = (1 + i % 3, 4 + 2 * i, joints)
        annotation = dict(
            frame_dir=f'S001A{i:03d}',
            label=i % 4,
            keypoint=rng.normal(size=(*shape, dims)).astype(np.float32),
            total_frames=shape[1],
            img_shape=(480, 640),
        )
        if dims == 2:
            annotation['keypoint_score'] = rng.uniform(size=shape)
        annotations.append(annotation)
    names = [a['frame_dir'] for a in annotations]
    split = dict(train=names[::2], val=names[1::2])
    with open(path, 'wb') as file:
        pickle.dump(dict(split=split, annotations=annotations), file)
    return str(path)


@pytest.mark.parametrize('dims, layout', [(2, 'coco'), (3, 'ntu-rgb+d')])
def test_round_trip_equals_the_annotation_feeder(tmp_path, dims, layout):
    ann_file = write_pose_pickle(tmp_path / 'ann.pkl', dims)
    data_path = str(tmp_path / 'out' / 'train_data.npy')
    label_path = str(tmp_path / 'out' / 'train_label.pkl')
    shape = convert_pose_annotations(
        ann_file, 'train', data_path, label_path, num_frames=7
    )
    joints = 17 if dims == 2 else 25
    assert shape == (3, 3, 7, joints, 2)
    data = np.load(data_path)
    assert data.shape == shape and data.dtype == np.float32
    names, labels = safe_load_pickle(label_path)
    assert names == ['S001A000', 'S001A002', 'S001A004']
    assert labels == [0, 2, 0]
    npy = SkeletonDataset(data_path, label_path, layout=layout)
    direct = PoseAnnotationDataset(
        ann_file, 'train', layout=layout, num_frames=7
    )
    assert len(npy) == len(direct) == 3
    for index in range(3):
        expected, item = npy[index], direct[index]
        assert item['data_samples'] == expected['data_samples']
        torch.testing.assert_close(item['inputs'], expected['inputs'])
    assert sorted(os.listdir(tmp_path / 'out')) == [
        'train_data.npy',
        'train_label.pkl',
    ]


def test_failure_writes_nothing(tmp_path):
    ann_file = write_pose_pickle(tmp_path / 'ann.pkl', 3)
    out = tmp_path / 'out'
    with pytest.raises(KeyError, match="unknown split 'test'"):
        convert_pose_annotations(
            ann_file, 'test', str(out / 'd.npy'), str(out / 'l.pkl')
        )
    assert not out.exists() or not os.listdir(out)


def test_mixed_joint_counts_are_reported(tmp_path):
    path = write_pose_pickle(tmp_path / 'ann.pkl', 3)
    content = safe_load_pickle(path)
    content['annotations'][2]['keypoint'] = np.zeros((1, 4, 17, 3))
    with open(path, 'wb') as file:
        pickle.dump(content, file)
    with pytest.raises(ValueError, match="'S001A002' has V=17.*V=25"):
        convert_pose_annotations(
            path, 'train', str(tmp_path / 'd.npy'), str(tmp_path / 'l.pkl')
        )


def test_command_line(tmp_path, monkeypatch, capsys):
    ann_file = write_pose_pickle(tmp_path / 'ann.pkl', 2)
    data_path, label_path = str(tmp_path / 'd.npy'), str(tmp_path / 'l.pkl')
    argv = ['pose_pkl_to_npy.py', ann_file, '--out-data', data_path]
    argv += ['--out-label', label_path, '--num-frames', '12']
    monkeypatch.setattr('sys.argv', [*argv, '--split', 'val'])
    runpy.run_path(TOOL, run_name='__main__')
    assert 'd.npy: float32 (2, 3, 12, 17, 2)' in capsys.readouterr().out
    monkeypatch.setattr('sys.argv', [*argv, '--split', 'xsub_val'])
    with pytest.raises(SystemExit, match=r"error: ann_file.*\['train', 'val"):
        runpy.run_path(TOOL, run_name='__main__')
