"""Prefixes, wrapped state dicts and key rules shared by the formats."""
import torch

from stgcn_reg.checkpoints import strip_module_prefix
from stgcn_reg.checkpoints.state_dicts import (
    compile_rules,
    is_named_mapping,
    rename_key,
    shape_text,
    state_dict_in,
)


def test_module_prefix_is_dropped_once():
    stripped = strip_module_prefix({'module.a': 1, 'b': 2,
                                    'module.module.c': 3})
    assert list(stripped.items()) == [('a', 1), ('b', 2), ('module.c', 3)]


def test_state_dict_is_taken_out_of_a_checkpoint():
    tensors = {'w': torch.zeros(1)}
    assert state_dict_in(dict(state_dict=tensors, meta={})) is tensors
    assert state_dict_in(tensors) is tensors
    assert state_dict_in([1]) == [1]
    assert is_named_mapping(tensors)
    assert not is_named_mapping({}) and not is_named_mapping({1: 2})
    assert shape_text(torch.zeros(2, 3)) == (2, 3) and shape_text(1) == '?'


def test_key_rules():
    rules = compile_rules([('a.{i}.x.{name}', 'b.{i}.y.{name}'),
                           ('head', 'fc')])
    assert rename_key('a.12.x.weight', rules) == 'b.12.y.weight'
    assert rename_key('head', rules) == 'fc'
    assert rename_key('a.1.x.w.z', rules) is None
