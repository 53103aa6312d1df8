"""The GEMM weight gradient of the temporal conv equals nn.Conv2d's."""
import pytest
import torch
from torch import nn

from stgcn_reg.models.layers.temporal_conv_grad import (
    temporal_conv,
    temporal_weight_grad,
    uses_own_backward,
)


@pytest.mark.parametrize('shape,kernel,stride', [
    ((2, 8, 20, 5), 9, 1),
    ((3, 8, 21, 5), 9, 2),
    ((2, 4, 7, 3), 3, 2),
    ((1, 6, 10, 4), 5, 3),
    ((2, 8, 5, 5), 9, 1),  # fewer frames than the kernel
])
def test_gradients_match_conv2d(shape, kernel, stride):
    torch.manual_seed(0)
    conv = nn.Conv2d(shape[1], 6, (kernel, 1), (stride, 1),
                     ((kernel - 1) // 2, 0))
    x = torch.randn(shape).to(memory_format=torch.channels_last)
    x.requires_grad_()
    assert uses_own_backward(x, conv)
    out = temporal_conv(x, conv)
    expected = conv(x)
    torch.testing.assert_close(out, expected, rtol=0, atol=0)
    grad = torch.randn_like(out)
    ours = torch.autograd.grad(out, [x, conv.weight, conv.bias], grad)
    ref = torch.autograd.grad(expected, [x, conv.weight, conv.bias], grad)
    for a, b in zip(ours, ref):
        assert a.shape == b.shape
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)


def test_conv_without_bias():
    conv = nn.Conv2d(4, 4, (9, 1), padding=(4, 0), bias=False)
    x = torch.randn(2, 4, 10, 3).to(memory_format=torch.channels_last)
    out = temporal_conv(x, conv)
    grad, = torch.autograd.grad(out.sum(), [conv.weight])
    ref, = torch.autograd.grad(conv(x).sum(), [conv.weight])
    torch.testing.assert_close(grad, ref, rtol=1e-5, atol=1e-5)


def test_weight_grad_alone_matches_aten():
    torch.manual_seed(1)
    x = torch.randn(2, 5, 16, 4).to(memory_format=torch.channels_last)
    grad_out = torch.randn(2, 7, 8, 4).to(memory_format=torch.channels_last)
    weight = torch.randn(7, 5, 9, 1)
    expected = torch.ops.aten.convolution_backward(
        grad_out, x, weight, None, [2, 1], [4, 0], [1, 1], False, [0, 0],
        1, [False, True, False])[1]
    got = temporal_weight_grad(grad_out, x, 9, 2, 4)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_other_inputs_take_the_plain_conv():
    conv = nn.Conv2d(4, 4, (9, 1), padding=(4, 0))
    x = torch.randn(1, 4, 12, 3)
    assert not uses_own_backward(x, conv)  # contiguous layout
    x_cl = x.to(memory_format=torch.channels_last)
    with torch.no_grad():
        assert not uses_own_backward(x_cl, conv)
    assert not uses_own_backward(x_cl.double(), conv.double())
    reflect = nn.Conv2d(4, 4, (9, 1), padding=(4, 0), padding_mode='reflect')
    assert not uses_own_backward(x_cl, reflect)
    conv.weight.requires_grad_(False)
    assert not uses_own_backward(x_cl, conv)
