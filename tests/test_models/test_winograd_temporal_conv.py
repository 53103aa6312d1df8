"""The Winograd form of the 9x1 temporal convolution: the transform
identity, agreement with the direct convolution, and where it applies."""
import pytest
import torch
import torch.nn.functional as F

from stgcn_reg.models.layers.temporal_conv import TemporalConv
from stgcn_reg.models.layers.temporal_conv_grad import uses_winograd
from stgcn_reg.models.layers.winograd_temporal_conv import (
    applies,
    winograd_conv,
    winograd_matrices,
    winograd_weight_grad,
)
from stgcn_reg.models.routes import using_routes


def channels_last(*shape, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator).contiguous(
        memory_format=torch.channels_last)


def test_transforms_compute_a_three_tap_correlation_exactly():
    a_t, g, b_t = winograd_matrices()
    d = torch.randn(5, dtype=torch.float64)
    w = torch.randn(3, dtype=torch.float64)
    expected = torch.stack([(w * d[i:i + 3]).sum() for i in range(3)])
    torch.testing.assert_close(a_t @ ((g @ w) * (b_t @ d)), expected,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('c_in,c_out,frames,bias', [
    (8, 8, 12, True), (5, 12, 3, False), (16, 4, 30, True),
    (8, 8, 10, True), (6, 6, 11, False), (4, 4, 1, True)])
def test_matches_the_direct_convolution(c_in, c_out, frames, bias):
    x = channels_last(2, c_in, frames, 7)
    weight = channels_last(c_out, c_in, 9, 1, seed=1)
    bias = torch.randn(c_out) if bias else None
    with torch.no_grad():
        assert applies(x, weight, 1, 4)
        actual = winograd_conv(x, weight, bias)
    expected = F.conv2d(x, weight, bias, padding=(4, 0))
    assert actual.is_contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(actual, expected, rtol=1e-5,
                               atol=1e-5 * expected.abs().max().item())


@pytest.mark.parametrize('c_in,c_out,frames', [
    (8, 8, 12), (5, 12, 3), (16, 4, 30), (8, 8, 10), (6, 6, 11)])
def test_weight_gradient_matches_onednns(c_in, c_out, frames):
    x = channels_last(2, c_in, frames, 7)
    grad_out = channels_last(2, c_out, frames, 7, seed=2)
    weight = torch.empty(c_out, c_in, 9, 1)
    expected = torch.ops.aten.convolution_backward(
        grad_out, x, weight, None, [1, 1], [4, 0], [1, 1], False, [0, 0], 1,
        [False, True, False])[1]
    actual = winograd_weight_grad(grad_out, x)
    assert actual.shape == expected.shape
    # float32 rounding of the transforms: well under 1e-5 of the largest
    torch.testing.assert_close(actual, expected, rtol=0,
                               atol=1e-5 * expected.abs().max().item())


def test_applies_only_without_autograd_in_float32_channels_last():
    x = channels_last(2, 4, 12, 5)
    weight = torch.randn(4, 4, 9, 1)
    with torch.no_grad():
        assert applies(x, weight, 1, 4)
        assert not applies(x, weight, 2, 4)  # stride
        assert applies(x[:, :, :11].contiguous(
            memory_format=torch.channels_last), weight, 1, 4)  # padded
        assert not applies(x.contiguous(), weight, 1, 4)
        assert not applies(x.double(), weight, 1, 4)
        assert not applies(x, torch.randn(4, 4, 3, 1), 1, 1)
        with torch.autocast('cpu', torch.bfloat16):
            assert not applies(x, weight, 1, 4)
    assert not applies(x, weight, 1, 4)  # gradients on: direct


def test_the_route_decides_and_the_folded_conv_agrees():
    unit = TemporalConv(6, dropout=0.0).eval()
    with torch.no_grad():
        unit.bn_out.running_mean.uniform_(-1, 1)
        unit.bn_out.running_var.uniform_(0.5, 2)
    x = channels_last(3, 6, 9, 25)
    with torch.no_grad():
        direct = unit.folded_conv(x)
        assert not uses_winograd(x, unit.conv)  # the default is direct
        with using_routes({'temporal': 'winograd'}):
            assert uses_winograd(x, unit.conv)
            folded = unit.folded_conv(x)
            plain = unit(x)
    torch.testing.assert_close(folded, direct, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(plain, unit.bn_out(unit.conv(unit.relu(
        unit.bn_in(x)))), rtol=1e-5, atol=1e-5)
