"""End to end through tools/train.py and tools/test.py (real Runner)."""
import json
import os
import os.path as osp
import pickle
import re
import textwrap

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, write_skeleton_files
from tool_runner import TINY_MODEL, data_options, fresh_interpreters, run_tool

# the plain start of the tools: the training of ``trained`` (checked by
# test_training_writes_checkpoints_and_logs) and the run of
# test_test_tool_prints_accuracy_and_dumps_scores are each a new
# interpreter; the other runs are forks of the tool server, as in the
# other files
pytestmark = pytest.mark.slow


def first_run_dir(work_dir: str) -> str:
    """The timestamped folder of the first run in ``work_dir``."""
    return sorted(d for d in os.listdir(work_dir)
                  if osp.isdir(osp.join(work_dir, d)))[0]


@pytest.fixture(scope='module')
def trained(demo_data, tmp_path_factory) -> str:
    work_dir = str(tmp_path_factory.mktemp('work'))
    with fresh_interpreters():
        run_tool(osp.join(REPO_ROOT, 'tools', 'train.py'),
                 osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py'),
                 '--work-dir', work_dir, '--device', 'cpu', '--epochs', '2',
                 '--batch-size', '8', '--eval-interval', '1',
                 '--save-interval', '1', '--seed', '1', '--cfg-options',
                 *TINY_MODEL, *data_options(demo_data), cwd=work_dir)
    return work_dir


def test_training_writes_checkpoints_and_logs(trained):
    files = os.listdir(trained)
    assert {'epoch_1.pth', 'epoch_2.pth', 'last_checkpoint',
            'stgcn_demo.py'} <= set(files)
    assert any(name.startswith('best_acc_top1_epoch_') for name in files)
    run_dir = first_run_dir(trained)
    log = open(osp.join(trained, run_dir, f'{run_dir}.log')).read()
    assert 'Epoch(val) [2]' in log and 'acc/top1' in log
    # the allocator setting of stgcn_reg.utils.freed_memory, said once
    assert log.count('CPU memory: ') == 1
    scalars = [
        json.loads(line) for line in open(
            osp.join(trained, run_dir, 'vis_data', 'scalars.json'))
    ]
    assert sum('acc/mean_loss' in entry for entry in scalars) == 2
    assert sum('loss' in entry for entry in scalars) >= 2
    checkpoint = torch.load(osp.join(trained, 'epoch_2.pth'),
                            weights_only=False)
    assert checkpoint['meta']['epoch'] == 2


def test_test_tool_prints_accuracy_and_dumps_scores(trained, demo_data):
    dump = osp.join(trained, 'scores.pkl')
    with fresh_interpreters():
        output = run_tool(
            osp.join(REPO_ROOT, 'tools', 'test.py'),
            osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py'),
            osp.join(trained, 'epoch_2.pth'), '--work-dir', trained,
            '--dump', dump, '--device', 'cpu', '--cfg-options', *TINY_MODEL,
            *data_options(demo_data), cwd=trained)
    assert 'acc/top1' in output and 'acc/top5' in output
    # same weights and data as the epoch-2 validation: same mean loss, so
    # the logged validation loss is not averaged over earlier epochs
    test_loss = float(re.search(r'Epoch\(test\).*acc/mean_loss: ([\d.]+)',
                                output).group(1))
    run_dir = first_run_dir(trained)
    scalars = [
        json.loads(line) for line in open(
            osp.join(trained, run_dir, 'vis_data', 'scalars.json'))
    ]
    val_loss = [e['acc/mean_loss'] for e in scalars
                if 'acc/mean_loss' in e][-1]
    assert test_loss == pytest.approx(val_loss, abs=2e-4)
    with open(dump, 'rb') as file:
        scores = pickle.load(file)
    with open(osp.join(demo_data, 'val_label.pkl'), 'rb') as file:
        names, labels = pickle.load(file)
    assert scores['sample_names'] == list(names)
    assert scores['scores'].shape == (16, 8)
    assert scores['labels'].tolist() == list(labels)


def test_resume_continues_from_the_last_epoch(trained, demo_data):
    output = run_tool(
        osp.join(REPO_ROOT, 'tools', 'train.py'),
        osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py'), '--work-dir',
        trained, '--device', 'cpu', '--epochs', '3', '--batch-size', '8',
        '--resume', '--cfg-options', *TINY_MODEL, *data_options(demo_data),
        cwd=trained)
    assert 'resumed epoch: 2' in output
    assert 'Epoch(train) [1]' not in output
    assert osp.isfile(osp.join(trained, 'epoch_3.pth'))


def test_ntu_config_trains_on_a_small_ntu_dataset(tmp_path):
    rng = np.random.default_rng(0)
    for split in ('train', 'val'):
        data = rng.normal(size=(4, 3, 20, 25, 2)).astype(np.float32)
        write_skeleton_files(str(tmp_path), split, data, [0, 59, 3, 7])
    output = run_tool(
        osp.join(REPO_ROOT, 'tools', 'train.py'),
        osp.join(REPO_ROOT, 'configs', 'stgcn_ntu_xsub.py'), '--work-dir',
        str(tmp_path / 'work'), '--epochs', '1', '--batch-size', '2',
        '--num-workers', '0', '--eval-interval', '1', '--cfg-options',
        *data_options(str(tmp_path)), cwd=str(tmp_path))
    assert 'Epoch(val) [1]' in output
    assert osp.isfile(tmp_path / 'work' / 'epoch_1.pth')


CUSTOM_MODULE = '''
import torch
from torch import nn

from stgcn_reg.registry import MODELS


@MODELS.register_module()
class MeanPoolHead(nn.Module):
    """A user's head: average pooling, learnable temperature, linear."""

    def __init__(self, num_classes, in_channels):
        super().__init__()
        self.fc = nn.Linear(in_channels, num_classes)
        self.user_temperature = nn.Parameter(torch.ones(()))

    def forward(self, feats):
        return self.fc(feats.mean(dim=(1, 3, 4))) / self.user_temperature

    def loss(self, logits, labels):
        return dict(loss=nn.functional.cross_entropy(logits, labels))

    def sample_losses(self, logits, labels):
        return nn.functional.cross_entropy(logits, labels, reduction='none')
'''


def test_custom_component_through_custom_imports(demo_data, tmp_path):
    (tmp_path / 'my_heads.py').write_text(CUSTOM_MODULE)
    config = tmp_path / 'my_config.py'
    config.write_text(textwrap.dedent(f'''
        _base_ = ['{REPO_ROOT}/configs/stgcn_demo.py']
        custom_imports = dict(imports=['my_heads'],
                              allow_failed_imports=False)
        model = dict(cls_head=dict(_delete_=True, type='MeanPoolHead',
                                   num_classes=8, in_channels=16))
    '''))
    env_path = os.environ.get('PYTHONPATH', '')
    os.environ['PYTHONPATH'] = f'{tmp_path}:{env_path}'
    try:
        run_tool(osp.join(REPO_ROOT, 'tools', 'train.py'), str(config),
                 '--work-dir', str(tmp_path / 'work'), '--device', 'cpu',
                 '--epochs', '1', '--batch-size', '8', '--cfg-options',
                 *TINY_MODEL[:2], *data_options(demo_data),
                 cwd=str(tmp_path))
    finally:
        os.environ['PYTHONPATH'] = env_path
    checkpoint = torch.load(tmp_path / 'work' / 'epoch_1.pth',
                            weights_only=False)
    assert 'cls_head.user_temperature' in checkpoint['state_dict']

