"""Converted checkpoints are written whole, saying where they came from."""
import os
import os.path as osp

import torch
from torch import nn

from stgcn_reg.checkpoints import load_checkpoint_file
from stgcn_reg.checkpoints.converted_files import (
    save_converted,
    source_location,
)


def test_meta_names_the_source_and_what_was_left_out(tmp_path):
    model = nn.Linear(2, 3)
    out = str(tmp_path / 'out.pth')
    saved = save_converted({'weight': torch.ones(3, 2)}, model, 'in.pt',
                           'some format', out, layout='coco')
    assert saved['meta'] == dict(
        converted_from=osp.abspath('in.pt'), source_format='some format',
        model_type='Linear', layout='coco', not_converted=['bias'])
    assert load_checkpoint_file(out)['meta'] == saved['meta']
    assert os.listdir(tmp_path) == ['out.pth']  # no temporary file left
    assert source_location('https://x/y.pt') == 'https://x/y.pt'
