"""Configs in the original ST-GCN's YAML style, for the tests that convert
them (``tests/test_compat/test_yaml_*.py``) and run them through the tools
(``tests/test_tools/test_train_from_yaml.py``)."""
import os.path as osp
from typing import Optional

from mmengine.config import Config

from stgcn_reg.compat.yaml_migration import convert_stgcn_yaml


def model_yaml(num_class: int, layout: str,
               dropout: Optional[float] = None) -> str:
    """The ``model:`` and ``model_args:`` lines of an original YAML: an
    ST-GCN on 3 channels with edge importance weighting and the spatial
    partition of ``layout``; no ``dropout`` line when it is None."""
    dropout_line = '' if dropout is None else f'  dropout: {dropout}\n'
    return ('model: net.st_gcn.Model\n'
            'model_args:\n'
            '  in_channels: 3\n'
            f'  num_class: {num_class}\n'
            f'{dropout_line}'
            '  edge_importance_weighting: True\n'
            '  graph_args:\n'
            f"    layout: '{layout}'\n"
            "    strategy: 'spatial'\n")


# written like config/st_gcn/<dataset>/{train,test}.yaml of the original
NTU_TRAIN = """\
work_dir: ./work_dir/recognition/ntu-{split}/ST_GCN

# feeder
feeder: feeder.feeder.Feeder
train_feeder_args:
  data_path: ./data/NTU-RGB-D/{split}/train_data.npy
  label_path: ./data/NTU-RGB-D/{split}/train_label.pkl
test_feeder_args:
  data_path: ./data/NTU-RGB-D/{split}/val_data.npy
  label_path: ./data/NTU-RGB-D/{split}/val_label.pkl

# model
""" + model_yaml(60, 'ntu-rgb+d', dropout=0.5) + """
#optim
weight_decay: 0.0001
base_lr: 0.1
step: [10, 50]

# training
device: [0,1,2,3]
batch_size: 64
test_batch_size: 64
num_epoch: 80
"""
NTU_TEST = """\
weights: ./models/st_gcn.ntu-xsub.pt

# feeder
feeder: feeder.feeder.Feeder
test_feeder_args:
  data_path: ./data/NTU-RGB-D/xsub/val_data.npy
  label_path: ./data/NTU-RGB-D/xsub/val_label.pkl

# model
""" + model_yaml(60, 'ntu-rgb+d', dropout=0.5) + """
# test
phase: test
device: 0
test_batch_size: 64
"""
KINETICS_TRAIN = """\
work_dir: ./work_dir/recognition/kinetics_skeleton/ST_GCN

# feeder
feeder: feeder.feeder.Feeder
train_feeder_args:
  random_choose: True
  random_move: True
  window_size: 150
  data_path: ./data/Kinetics/kinetics-skeleton/train_data.npy
  label_path: ./data/Kinetics/kinetics-skeleton/train_label.pkl
test_feeder_args:
  data_path: ./data/Kinetics/kinetics-skeleton/val_data.npy
  label_path: ./data/Kinetics/kinetics-skeleton/val_label.pkl

# model
""" + model_yaml(400, 'openpose') + """
# training
device: [0,1,2,3]
batch_size: 256
test_batch_size: 256

#optim
base_lr: 0.1
step: [20, 30, 40, 50]
num_epoch: 50
"""
# a user's own 18-joint dataset, trained on a CPU with Adam
CUSTOM = """\
work_dir: ./work_dir/my_actions
feeder: feeder.feeder.Feeder
train_feeder_args:
  data_path: ./my_data/train_data.npy
  label_path: ./my_data/train_label.pkl
  random_shift: True
  window_size: 64
  random_move: True
  normalization: True
  shuffle_persons: True
test_feeder_args:
  data_path: my_data/val_data.npy
  label_path: my_data/val_label.pkl
  debug: True
model: net.st_gcn.Model
model_args:
  in_channels: 3
  num_class: 10
  dropout: 0.2
  edge_importance_weighting: False
  graph_args:
    layout: 'openpose'
    strategy: 'distance'
    max_hop: 2
use_gpu: False
optimizer: Adam
base_lr: 0.001
weight_decay: 0.0005
step: [5]
num_epoch: 12
batch_size: 8
test_batch_size: 4
num_worker: 0
save_interval: 2
eval_interval: 1
log_interval: 10
show_topk: [1, 3]
ignore_weights: ['fcn']
mixup_alpha: 0.2
"""


def write_yaml(folder, text: str, name: str = 'train.yaml') -> str:
    path = osp.join(str(folder), name)
    with open(path, 'w') as file:
        file.write(text)
    return path


def convert(folder, text: str, name: str = 'train.yaml'):
    """Converted config (loaded by mmengine), its text and the report."""
    text_out, report = convert_stgcn_yaml(write_yaml(folder, text, name))
    return Config.fromstring(text_out, '.py'), text_out, report


def pipeline_types(cfg: Config, loader: str) -> list:
    return [step['type'] for step in cfg[loader].dataset.pipeline]

