"""Our checkpoints: tensors checked against the model, listed when not."""
import torch
from torch import nn

from stgcn_reg.checkpoints.formats.ours import (
    checkpoint_mismatches,
    detect,
    listed_mismatches,
    to_ours,
)


def test_mismatches_are_found_and_listed():
    model = nn.Sequential(nn.Linear(2, 3))
    saved = {'module.0.weight': torch.zeros(3, 3), 'extra': torch.zeros(1)}
    assert detect(dict(state_dict=saved)) and not detect({'a': 1})
    assert list(to_ours(saved)) == ['0.weight', 'extra']
    problems = checkpoint_mismatches(saved, model)
    assert problems == {
        '0.weight': 'shape (3, 3) in the checkpoint, (3, 2) in the model',
        '0.bias': 'in the model but not in the checkpoint',
        'extra': 'in the checkpoint but not in the model',
    }
    assert listed_mismatches(problems).split('\n  - ') == [
        '0.bias: in the model but not in the checkpoint',
        '0.weight: shape (3, 3) in the checkpoint, (3, 2) in the model',
        'extra: in the checkpoint but not in the model',
    ]
    many = {f'k{i}': 'why' for i in range(7)}
    assert listed_mismatches(many).endswith('k4: why\n  - ... and 2 more')
