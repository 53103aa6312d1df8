"""No tool writes over one of its inputs: it refuses before any work.

Each case runs a tool (subprocess) with an output that is one of its
inputs (the same path, or a symlink to it) and checks the exit status,
the one-line error naming the input, and that nothing in the folder
changed.
"""
import hashlib
import os
import os.path as osp
import pickle
from typing import Callable, Dict, List, Tuple

import numpy as np
import pytest
import torch
from conftest import write_skeleton_files
from tool_runner import DEMO_CONFIG, data_options, run_python, tool

from stgcn_reg.datasets.synthetic_bold import write_bold_fixture

Case = Tuple[List[str], str]  # tool command line, the input it names
CASES: Dict[str, Callable[[str], Case]] = {}


def case(make: Callable[[str], Case]) -> Callable[[str], Case]:
    CASES[make.__name__] = make
    return make


def demo_split(folder: str) -> Tuple[str, str]:
    data = np.zeros((2, 3, 8, 25, 2), np.float32)
    return write_skeleton_files(folder, 'val', data, [0, 1])


def score_dump(folder: str, name: str) -> str:
    path = osp.join(folder, name)
    with open(path, 'wb') as file:
        pickle.dump(dict(sample_names=['a', 'b'], labels=np.array([0, 1]),
                         scores=np.eye(2, dtype=np.float32)), file)
    return path


def checkpoint(folder: str, name: str = 'epoch_1.pth') -> str:
    path = osp.join(folder, name)
    torch.save(dict(state_dict={'w': torch.zeros(2)}, meta={}), path)
    return path


def one_clip(folder: str) -> str:
    path = osp.join(folder, 'clip.npy')
    np.save(path, np.zeros((3, 8, 25, 2), np.float32))
    return path


@case
def npy_to_h5(folder: str) -> Case:
    data, label = demo_split(folder)
    return ['npy_to_h5.py', data, label, data], data


@case
def npy_to_h5_through_a_symlink(folder: str) -> Case:
    data, label = demo_split(folder)
    link = osp.join(folder, 'val.h5')
    os.symlink(label, link)
    return ['npy_to_h5.py', data, label, link], label


@case
def dump_of_test_py_over_the_label_file(folder: str) -> Case:
    _, label = demo_split(folder)
    return ['test.py', DEMO_CONFIG, checkpoint(folder), '--dump', label,
            '--device', 'cpu', '--work-dir', osp.join(folder, 'work'),
            '--cfg-options', *data_options(folder)], label


@case
def confusion_matrix(folder: str) -> Case:
    dump = score_dump(folder, 'scores.pkl')
    return ['confusion_matrix.py', dump, '--out', dump], dump


@case
def ensemble(folder: str) -> Case:
    joint = score_dump(folder, 'joint.pkl')
    bone = score_dump(folder, 'bone.pkl')
    return ['ensemble.py', joint, bone, '--out', joint], joint


@case
def infer(folder: str) -> Case:
    clip = one_clip(folder)
    return ['infer.py', DEMO_CONFIG, checkpoint(folder), clip, '--out',
            clip, '--device', 'cpu'], clip


@case
def visualize(folder: str) -> Case:
    clip = one_clip(folder)
    return ['visualize.py', clip, '--out', osp.join(folder, 'clip.mp4'),
            '--sheet', clip], clip


@case
def pose_pkl_to_npy(folder: str) -> Case:
    ann = osp.join(folder, 'ntu60_3danno.pkl')
    with open(ann, 'wb') as file:
        pickle.dump(dict(split=dict(xsub_val=[]), annotations=[]), file)
    return ['pose_pkl_to_npy.py', ann, '--out-data',
            osp.join(folder, 'val_data.npy'), '--out-label', ann], ann


@case
def convert_mmaction_checkpoint(folder: str) -> Case:
    path = checkpoint(folder)
    return ['convert_mmaction_checkpoint.py', path, path, '--reverse'], path


@case
def convert_stgcn_checkpoint(folder: str) -> Case:
    path = osp.join(folder, 'st_gcn.kinetics.pt')
    torch.save({'A': torch.zeros(3, 18, 18)}, path)
    return ['convert_stgcn_checkpoint.py', path, path, '--config',
            DEMO_CONFIG], path


@case
def convert_stgcn_yaml(folder: str) -> Case:
    path = osp.join(folder, 'train.yaml')
    with open(path, 'w') as file:
        file.write('work_dir: ./work_dir\nmodel: net.st_gcn.Model\n')
    return ['convert_stgcn_yaml.py', path, '-o', path], path


@case
def analyze_logs(folder: str) -> Case:
    vis_data = osp.join(folder, 'work', '20240101_000000', 'vis_data')
    os.makedirs(vis_data)
    log = osp.join(vis_data, 'scalars.json')
    with open(log, 'w') as file:
        file.write('{"lr": 0.1, "loss": 2.0, "epoch": 1, "iter": 1}\n')
    # the curve data go beside the PNG: scalars.json
    return ['analyze_logs.py', osp.join(folder, 'work'), '--out',
            osp.join(vis_data, 'scalars.png')], log


@case
def ntu_gendata(folder: str) -> Case:
    raw = osp.join(folder, 'raw')
    os.makedirs(raw)
    with open(osp.join(raw, 'S001C001P001R001A001.skeleton'), 'w') as file:
        file.write('1\n0\n')  # one frame, no body
    ignore = osp.join(folder, 'out', 'xsub', 'val_label.pkl')
    os.makedirs(osp.dirname(ignore))
    with open(ignore, 'w') as file:
        file.write('S001C001P001R001A002\n')
    return ['ntu_gendata.py', '--data-path', raw, '--out-folder',
            osp.join(folder, 'out'), '--ignore-list', ignore,
            '--benchmark', 'xsub'], ignore


@case
def kinetics_gendata_through_a_symlink(folder: str) -> Case:
    raw, out = osp.join(folder, 'raw'), osp.join(folder, 'out')
    os.makedirs(osp.join(raw, 'kinetics_val'))
    os.makedirs(out)
    label = osp.join(raw, 'kinetics_val_label.json')
    with open(label, 'w') as file:
        file.write('{}')
    os.symlink(label, osp.join(out, 'val_label.pkl'))
    return ['kinetics_gendata.py', '--data-path', raw, '--out-folder', out,
            '--splits', 'val'], label


@case
def bold_gendata_through_a_symlink(folder: str) -> Case:
    raw, out = osp.join(folder, 'raw'), osp.join(folder, 'out')
    write_bold_fixture(raw, num_train=2, num_val=1, num_test=1,
                       num_frames=4)
    joints = sorted(
        osp.join(where, name)
        for where, _, names in os.walk(osp.join(raw, 'joints'))
        for name in names)
    os.makedirs(out)
    os.symlink(joints[0], osp.join(out, 'train_data.npy'))
    return ['bold_gendata.py', '--data-path', raw, '--out-folder', out],\
        joints[0]


@case
def benchmark(folder: str) -> Case:
    raw = osp.join(folder, 'raw')
    os.makedirs(raw)
    skeleton = osp.join(raw, 'S001C001P001R001A001.skeleton')
    with open(skeleton, 'w') as file:
        file.write('1\n0\n')
    return ['benchmark.py', 'data', '--quick', '--ntu-dir', raw, '--out',
            skeleton], skeleton


def snapshot(folder: str) -> Dict[str, str]:
    """Every file and link under ``folder`` with a digest of its bytes."""
    state = {}
    for where, _, names in os.walk(folder):
        for name in names:
            path = osp.join(where, name)
            target = os.readlink(path) if osp.islink(path) else ''
            with open(path, 'rb') as file:
                digest = hashlib.sha256(file.read()).hexdigest()
            state[osp.relpath(path, folder)] = f'{target} {digest}'
    return state


@pytest.mark.parametrize('name', sorted(CASES))
def test_tool_refuses_to_write_over_an_input(tmp_path, name):
    folder = str(tmp_path)
    argv, victim = CASES[name](folder)
    before = snapshot(folder)
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = run_python([tool(argv[0]), *argv[1:]], cwd=folder, env=env,
                      timeout=300)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith('error: ') and repr(victim) in lines[0]
    assert 'write over an input' in lines[0]
    assert snapshot(folder) == before  # nothing written, nothing replaced
