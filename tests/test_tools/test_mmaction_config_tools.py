"""MMAction2's own configs run as they are: tools/train.py and
tools/test.py convert them on the fly (saved into the work dir), and
tools/convert_mmaction_config.py writes a config that loads anywhere."""
import os
import os.path as osp
import pickle
import re

import numpy as np
import pytest
from conftest import REPO_ROOT, SHARED_DATA
from mmaction_configs import JOINT_3D, POSEC3D, skeleton_dir
from mmengine.config import Config
from mmengine.registry import DefaultScope
from ntu_raw import real_ntu_files
from tool_runner import run_python, run_tool, tool

from stgcn_reg.datasets.readers.ntu_skeleton import (
    read_skeleton_file,
    to_array,
)
from stgcn_reg.registry import MODELS

pytestmark = pytest.mark.slow

# the converted config's keys, made tiny: model, clips, one repeat
TINY = [
    'model.backbone.channels=[8,8,16,16]', 'model.backbone.strides=[1,2,1,1]',
    'model.cls_head.in_channels=16', 'train_dataloader.dataset.times=1',
    'train_dataloader.dataset.dataset.pipeline.2.clip_len=16',
    'val_dataloader.dataset.pipeline.2.clip_len=16',
    'test_dataloader.dataset.pipeline.2.clip_len=16',
    'test_dataloader.dataset.pipeline.2.num_clips=2',
]


def write_ntu_pickle(shared_data: str, path: str) -> list:
    """A tiny PYSKL / MMAction2 3-D pickle (ntu60_3d.pkl) of the real NTU
    samples, each in xsub_train and xsub_val; returns the names."""
    annotations = []
    for name, sample in sorted(real_ntu_files(shared_data).items()):
        sequence = read_skeleton_file(sample)
        array = to_array(sequence, sequence.num_frames, 2)  # (C, T, V, M)
        keypoint = array.transpose(3, 1, 2, 0)
        keypoint = keypoint[[m for m in range(len(keypoint))
                             if keypoint[m].any()]]
        label = int(re.search(r'A(\d{3})', name).group(1)) - 1
        annotations.append(dict(frame_dir=name, label=label,
                                keypoint=keypoint.astype(np.float32),
                                total_frames=keypoint.shape[1]))
    names = [annotation['frame_dir'] for annotation in annotations]
    with open(path, 'wb') as file:
        pickle.dump(dict(split=dict(xsub_train=names, xsub_val=names),
                         annotations=annotations), file)
    return names


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """tools/train.py on MMAction2's joint 3-D ST-GCN config, 1 epoch."""
    if not real_ntu_files(SHARED_DATA):
        pytest.skip(f'real NTU samples not found in {SHARED_DATA}/ntu')
    config = osp.join(skeleton_dir(), JOINT_3D)
    folder = str(tmp_path_factory.mktemp('mmaction_run'))
    ann_file = osp.join(folder, 'ntu60_3d.pkl')
    names = write_ntu_pickle(SHARED_DATA, ann_file)
    files = [f'{loader}.ann_file={ann_file}' for loader in (
        'train_dataloader.dataset.dataset', 'val_dataloader.dataset',
        'test_dataloader.dataset')]
    work_dir = osp.join(folder, 'work')
    output = run_tool(
        tool('train.py'), config, '--work-dir', work_dir, '--device', 'cpu',
        '--epochs', '1', '--batch-size', '2', '--test-batch-size', '2',
        '--num-workers', '0', '--seed', '0', '--cfg-options', *TINY, *files,
        cwd=folder)
    return dict(config=config, folder=folder, work_dir=work_dir,
                output=output, files=files, names=names)


def test_train_converts_and_saves_the_conversion(trained):
    config, work_dir = trained['config'], trained['work_dir']
    saved = osp.join(work_dir, 'from_mmaction', osp.basename(config))
    assert (f'Note: converted the MMAction2 config {config} to {saved}'
            in trained['output'])
    assert '  - weight init:' in trained['output']
    assert 'Epoch(val) [1]' in trained['output']
    cfg = Config.fromfile(saved)
    assert cfg.default_scope == 'stgcn_reg'
    assert cfg.model.backbone.type == 'STGCN'
    assert '# Conversion notes:' in open(saved).read()
    # the Runner's resolved config, where MMAction2 puts it
    assert osp.isfile(osp.join(work_dir, osp.basename(config)))
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))


def test_test_tool_evaluates_the_checkpoint(trained):
    dump = osp.join(trained['folder'], 'scores.pkl')
    output = run_tool(
        tool('test.py'), trained['config'],
        osp.join(trained['work_dir'], 'epoch_1.pth'), '--work-dir',
        trained['work_dir'], '--device', 'cpu', '--num-workers', '0',
        '--dump', dump, '--cfg-options', *TINY, *trained['files'],
        cwd=trained['folder'])
    assert 'Note: converted the MMAction2 config' in output
    assert re.search(r'acc/top1\D+\d', output), output[-2000:]
    with open(dump, 'rb') as file:
        scores = pickle.load(file)
    assert scores['sample_names'] == trained['names']
    assert scores['scores'].shape == (len(trained['names']), 60)


def test_convert_tool_writes_a_config_that_loads_anywhere(tmp_path):
    config = osp.join(skeleton_dir(), JOINT_3D)
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = run_python([tool('convert_mmaction_config.py'), config],
                      cwd=str(tmp_path), env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'note: weight init' in proc.stderr
    assert '# Conversion notes:' in proc.stdout
    (tmp_path / 'sub').mkdir()
    written = tmp_path / 'sub' / 'mine.py'
    written.write_text(proc.stdout)
    cfg = Config.fromfile(str(written))
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) == 3098832
    out = tmp_path / 'out.py'
    output = run_tool(tool('convert_mmaction_config.py'), config, '-o',
                      str(out), cwd=str(tmp_path))
    assert f'Wrote {out}' in output
    assert Config.fromfile(str(out)).model == cfg.model
    assert osp.join(REPO_ROOT, 'configs', '_base_') in out.read_text()


def test_convert_tool_names_the_parts_we_lack(tmp_path):
    output = run_tool(tool('convert_mmaction_config.py'),
                      osp.join(skeleton_dir(), POSEC3D), cwd=str(tmp_path),
                      expect_rc=1)
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ')
    assert 'Recognizer3D' in lines[0] and 'GeneratePoseTarget' in lines[0]


def test_train_tool_names_the_parts_we_lack(tmp_path):
    output = run_tool(tool('train.py'), osp.join(skeleton_dir(), POSEC3D),
                      '--work-dir', str(tmp_path / 'work'),
                      cwd=str(tmp_path), expect_rc=1)
    errors = [line for line in output.splitlines() if 'error' in line]
    assert len(errors) == 1 and errors[0].startswith('error: ')
    assert 'needs MMAction2 parts' in errors[0] and 'PoseCompact' in errors[0]
