"""Class names of the shipped datasets: the real Kinetics label order, the
NTU action list, and what a config's ``class_names`` resolves to."""
import json
import os.path as osp

import pytest
from conftest import REPO_ROOT, SHARED_DATA
from mmengine.config import Config

from stgcn_reg.datasets.class_names import (
    KINETICS400_ACTIONS,
    NTU120_ACTIONS,
    config_class_names,
)
from stgcn_reg.datasets.synthetic_actions import ACTION_NAMES

KINETICS = osp.join(SHARED_DATA, 'kinetics')


def config(name):
    return Config.fromfile(osp.join(REPO_ROOT, 'configs', name))


def test_kinetics_names_follow_the_real_label_indices():
    if not osp.isfile(osp.join(KINETICS, 'val_label.json')):
        pytest.skip(f'shared Kinetics samples not found in {KINETICS}')
    with open(osp.join(KINETICS, 'label_name.txt')) as file:
        assert list(KINETICS400_ACTIONS) == file.read().splitlines()
    with open(osp.join(KINETICS, 'val_label.json')) as file:
        entries = json.load(file).values()
    assert entries and all(
        KINETICS400_ACTIONS[e['label_index']] == e['label'] for e in entries)


def test_ntu60_names_match_the_shared_label_map():
    path = osp.join(SHARED_DATA, 'ntu', 'label_map.txt')
    if not osp.isfile(path):
        pytest.skip(f'shared NTU label map not found at {path}')
    with open(path) as file:
        assert list(NTU120_ACTIONS[:60]) == file.read().splitlines()


def test_ntu_actions_in_label_order():
    assert len(NTU120_ACTIONS) == len(set(NTU120_ACTIONS)) == 120
    assert NTU120_ACTIONS[0] == 'drink water'  # A001
    assert NTU120_ACTIONS[59] == 'walking apart from each other'  # A060
    assert NTU120_ACTIONS[119] == ('finger-guessing game (playing '
                                   'rock-paper-scissors)')  # A120


def test_shipped_configs_name_their_classes():
    assert config_class_names(config('stgcn_kinetics.py')) == list(
        KINETICS400_ACTIONS)
    assert config_class_names(config('stgcn_ntu_xsub.py')) == list(
        NTU120_ACTIONS[:60])
    assert config_class_names(config('stgcn_ntu120_xsub120_u100.py')) == (
        list(NTU120_ACTIONS))
    assert config_class_names(config('stgcn_demo.py')) == list(ACTION_NAMES)


def test_a_list_that_does_not_fit_the_classifier():
    # a base's named list under a classifier of another size: no names
    cfg = config('stgcn_kinetics.py')
    cfg.model.cls_head.num_classes = 5
    assert config_class_names(cfg) is None
    cfg.class_names = ['a', 'b']  # a list of its own must fit
    with pytest.raises(ValueError, match='2 names for a classifier of 5'):
        config_class_names(cfg)
    cfg.class_names = 'kinetics700'
    with pytest.raises(ValueError, match="class_names 'kinetics700': "
                       'expected a list of names or one of'):
        config_class_names(cfg)
    assert config_class_names(Config({})) is None
