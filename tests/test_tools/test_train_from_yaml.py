"""tools/train.py, tools/test.py and tools/convert_stgcn_yaml.py on YAML."""
import os.path as osp

import numpy as np
import pytest
from conftest import write_skeleton_files
from mmengine.config import Config
from stgcn_yaml import model_yaml
from tool_runner import TINY_MODEL, run_tool, tool

pytestmark = pytest.mark.slow

# a custom dataset in the original YAML style, run on a CPU
CUSTOM_TRAIN = """\
work_dir: ./work_dir/custom
feeder: feeder.feeder.Feeder
train_feeder_args:
  data_path: {data}/train_data.npy
  label_path: {data}/train_label.pkl
  random_move: True
test_feeder_args:
  data_path: {data}/val_data.npy
  label_path: {data}/val_label.pkl
""" + model_yaml(3, 'ntu-rgb+d', dropout=0.5) + """\
use_gpu: False
base_lr: 0.05
step: [1]
batch_size: 4
test_batch_size: 4
num_worker: 0
eval_interval: 1
save_interval: 1
num_epoch: 5
favourite_colour: blue
"""
CUSTOM_TEST = """\
weights: ./work_dir/custom/epoch_1.pth
feeder: feeder.feeder.Feeder
test_feeder_args:
  data_path: {data}/val_data.npy
  label_path: {data}/val_label.pkl
""" + model_yaml(3, 'ntu-rgb+d', dropout=0.5) + """\
phase: test
use_gpu: False
test_batch_size: 4
"""


@pytest.fixture(scope='module')
def custom(tmp_path_factory) -> str:
    """A folder with tiny T=16 data and the two YAML files."""
    folder = str(tmp_path_factory.mktemp('yaml_run'))
    rng = np.random.default_rng(0)
    for split in ('train', 'val'):
        data = rng.normal(size=(8, 3, 16, 25, 2)).astype(np.float32)
        write_skeleton_files(folder, split, data, [i % 3 for i in range(8)])
    for name, text in (('custom.yaml', CUSTOM_TRAIN),
                       ('custom_test.yaml', CUSTOM_TEST)):
        with open(osp.join(folder, name), 'w') as file:
            file.write(text.format(data=folder))
    return folder


@pytest.fixture(scope='module')
def trained(custom) -> str:
    return run_tool(tool('train.py'), 'custom.yaml', '--epochs', '1',
                    '--cfg-options', *TINY_MODEL, cwd=custom)


def test_train_accepts_a_yaml_config(custom, trained):
    assert 'converted from the original ST-GCN YAML custom.yaml' in trained
    assert "unknown key 'favourite_colour'" in trained
    assert 'use_gpu: False' in trained
    assert 'Epoch(val) [1]' in trained
    work_dir = osp.join(custom, 'work_dir', 'custom')
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
    cfg = Config.fromfile(
        osp.join(work_dir, 'from_yaml', 'custom_converted.py'))
    assert cfg.optim_wrapper.optimizer.lr == 0.05
    assert cfg.train_dataloader.dataset.data_path == osp.join(
        custom, 'train_data.npy')


def test_test_tool_takes_the_yaml_weights(custom, trained):
    output = run_tool(tool('test.py'), 'custom_test.yaml', '--cfg-options',
                      *TINY_MODEL, cwd=custom)
    assert 'converted from the original ST-GCN YAML' in output
    assert 'acc/top1' in output
    assert 'work_dir/custom/epoch_1.pth' in output


def test_train_refuses_a_test_yaml(custom):
    output = run_tool(tool('train.py'), 'custom_test.yaml', cwd=custom,
                      expect_rc=1)
    assert 'phase: test' in output and 'tools/test.py' in output


def test_convert_tool_prints_config_and_report(custom):
    output = run_tool(tool('convert_stgcn_yaml.py'), 'custom.yaml',
                      '-o', 'custom.py', cwd=custom)
    assert "note: unknown key 'favourite_colour'" in output
    cfg = Config.fromfile(osp.join(custom, 'custom.py'))
    assert cfg.model.cls_head.num_classes == 3
    assert cfg.train_cfg.max_epochs == 5
