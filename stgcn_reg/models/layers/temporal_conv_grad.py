"""Temporal (kx1) convolution whose weight gradient runs as k large GEMMs.

On CPUs oneDNN computes the weight gradient of a channels-last kx1
convolution at about half the speed of its forward pass. Written as
``grad_W_k = grad_out^T @ shift_k(x)`` (per tap one GEMM per sample, each
summing over every frame and joint, on views of the input padded once) it
runs 10-30% faster than oneDNN's at ST-GCN's widths. The input gradient
and the forward pass stay in oneDNN. Results agree with ``nn.Conv2d`` to
float32 rounding (the sums are taken in another order). Since oneDNN never
computes the weight gradient here, a 1x1 kernel with stride on this route
cannot hit oneDNN issue #6035 (see :mod:`.onednn_safe_conv`).
"""
from typing import Any, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from stgcn_reg.models.routes.route_options import active_route

from .winograd_temporal_conv import applies as winograd_applies
from .winograd_temporal_conv import winograd_conv


def temporal_weight_grad(grad_out: torch.Tensor, x: torch.Tensor,
                         kernel_size: int, stride: int,
                         padding: int) -> torch.Tensor:
    """Gradient ``(C_out, C_in, k, 1)`` of a kx1 conv's weight.

    Args:
        grad_out (Tensor): ``(N, C_out, T_out, V)``.
        x (Tensor): The conv input ``(N, C_in, T, V)``.
        kernel_size (int): k, the temporal kernel size.
        stride (int): Temporal stride.
        padding (int): Zero frames added at both ends of time.
    """
    n, c_in, t, v = x.shape
    c_out, t_out = grad_out.shape[1], grad_out.shape[2]
    # frames per stride phase: tap j of output frame i reads padded frame
    # stride*i + j = stride*(i + j // stride) + j % stride
    phase_len = -(-(t + 2 * padding) // stride)
    padded = x.new_empty(n, phase_len * stride, v, c_in)
    padded[:, :padding].zero_()
    padded[:, padding + t:].zero_()
    padded[:, padding:padding + t] = x.permute(0, 2, 3, 1)
    phases = padded.view(n, phase_len, stride, v, c_in).permute(2, 0, 1, 3, 4)
    if stride > 1:
        phases = phases.contiguous()
    # (N, C_out, T_out * V): a view of channels-last grad_out
    grads_t = grad_out.permute(0, 2, 3, 1).reshape(n, t_out * v,
                                                   c_out).transpose(1, 2)
    weight_grad = grad_out.new_empty(kernel_size, c_out, c_in)
    for tap in range(kernel_size):
        first = tap // stride
        shifted = phases[tap % stride][:, first:first + t_out]
        per_sample = torch.bmm(grads_t, shifted.reshape(n, t_out * v, c_in))
        torch.sum(per_sample, 0, out=weight_grad[tap])
    return weight_grad.permute(1, 2, 0).unsqueeze(-1).contiguous()


class _TemporalConvFunction(torch.autograd.Function):
    """kx1 conv: oneDNN forward and input gradient, GEMM weight gradient."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, weight: torch.Tensor,
                bias: Optional[torch.Tensor], stride: int,
                padding: int) -> torch.Tensor:
        ctx.save_for_backward(x, weight)
        ctx.stride, ctx.padding = stride, padding
        return F.conv2d(x, weight, bias, (stride, 1), (padding, 0))

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> Tuple[Any, ...]:
        x, weight = ctx.saved_tensors
        grad_out = grad_out.contiguous(memory_format=torch.channels_last)
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.ops.aten.convolution_backward(
                grad_out, x, weight, None, [ctx.stride, 1],
                [ctx.padding, 0], [1, 1], False, [0, 0], 1,
                [True, False, False])[0]
        if ctx.needs_input_grad[1]:
            grad_w = temporal_weight_grad(grad_out, x, weight.shape[2],
                                          ctx.stride, ctx.padding)
        if ctx.needs_input_grad[2]:  # False without a bias
            grad_b = grad_out.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None, None


def is_plain_kx1(conv: nn.Conv2d) -> bool:
    """Whether ``conv`` is a kx1 convolution along time only: one group,
    no dilation, stride and padding on the time axis alone, zero
    padding (what both alternative routes below compute)."""
    return (conv.kernel_size[1] == 1 and conv.dilation == (1, 1)
            and conv.groups == 1 and conv.stride[1] == 1
            and conv.padding[1] == 0 and conv.padding_mode == 'zeros')


def uses_gemm_weight_grad(x: torch.Tensor, conv: nn.Conv2d) -> bool:
    """Whether ``conv(x)`` takes the GEMM weight-gradient route: CPU,
    float32, channels-last, gradients on, a kx1 kernel with zero padding
    and no dilation."""
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and conv.weight.requires_grad and torch.is_grad_enabled()
            and x.dim() == 4
            and x.is_contiguous(memory_format=torch.channels_last)
            and is_plain_kx1(conv)
            and not torch.is_autocast_enabled('cpu')
            and active_route('weight_grad') == 'gemm')


def uses_winograd(x: torch.Tensor, conv: nn.Conv2d) -> bool:
    """Whether ``conv(x)`` takes the Winograd route in eval: chosen
    (``temporal='winograd'``) and applicable (see
    :func:`.winograd_temporal_conv.applies`)."""
    return (active_route('temporal') == 'winograd' and is_plain_kx1(conv)
            and winograd_applies(x, conv.weight, conv.stride[0],
                                 conv.padding[0]))


def temporal_conv(x: torch.Tensor, conv: nn.Conv2d) -> torch.Tensor:
    """``conv(x)`` for a kx1 ``conv``, with the GEMM weight gradient on
    CPU channels-last training input (see :func:`uses_gemm_weight_grad`)
    and the Winograd form where it is the route (:func:`uses_winograd`)."""
    if uses_winograd(x, conv):
        return winograd_conv(x, conv.weight, conv.bias)
    if not uses_gemm_weight_grad(x, conv):
        return conv(x)
    return _TemporalConvFunction.apply(x, conv.weight, conv.bias,
                                       conv.stride[0], conv.padding[0])
