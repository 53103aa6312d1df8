"""Narrow strided 1x1 convs stay off oneDNN issue #6035's crashing route."""
import os
import os.path as osp
import subprocess
import sys

import torch
from torch import nn

from stgcn_reg.models.layers import OneDNNSafeConv2d, ResidualProjection
from stgcn_reg.models.layers.onednn_safe_conv import conv2d

GRID = osp.join(osp.dirname(osp.abspath(__file__)), 'onednn_conv_grid.py')


def test_grid_runs_and_matches_contiguous_reference():
    """The whole grid in one subprocess: a crash fails, not kills, pytest."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.run([sys.executable, GRID], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (
        f'exit {proc.returncode}\n{(proc.stdout + proc.stderr)[-3000:]}')
    assert 'cases: ' in proc.stdout


def test_only_layers_that_can_hit_the_bug_are_guarded():
    assert type(conv2d(8, 16, 1, stride=(2, 1))) is OneDNNSafeConv2d
    assert type(conv2d(15, 16, 1, stride=(1, 3))) is OneDNNSafeConv2d
    assert type(conv2d(16, 16, 1, stride=(2, 1))) is nn.Conv2d
    assert type(conv2d(8, 16, 1)) is nn.Conv2d
    assert type(conv2d(8, 8, (9, 1), stride=(2, 1))) is nn.Conv2d
    assert type(ResidualProjection(8, 16, 2).conv) is OneDNNSafeConv2d
    assert type(ResidualProjection(64, 128, 2).conv) is nn.Conv2d


def test_guarded_conv_keeps_channels_last_and_state_dict_keys():
    conv = conv2d(4, 8, 1, stride=(2, 1))
    x = torch.randn(2, 4, 9, 5).contiguous(memory_format=torch.channels_last)
    out = conv(x.requires_grad_())
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert out.shape == (2, 8, 5, 5)
    assert set(conv.state_dict()) == {'weight', 'bias'}
