"""Temporal (kx1) convolution in training with a route per product: the
weight gradient as k large GEMMs or oneDNN's, the output and the input
gradient in oneDNN or in the Winograd form.

On CPUs oneDNN often computes the weight gradient of a channels-last kx1
convolution at about half the speed of its forward pass. Written as
``grad_W_k = grad_out^T @ shift_k(x)`` (per tap one GEMM per sample, each
summing over every frame and joint, on views of the input padded once) it
runs 10-30% faster than oneDNN's at ST-GCN's widths on some CPUs and
slower on others, and at some widths only, so the ``per_layer`` route
times both on each layer shape's first backward. The input gradient of a
stride-1 9x1 conv is the same convolution of the output gradient with
the kernel flipped in time and its channels swapped, so the Winograd
form (:mod:`.winograd_temporal_conv`) computes it as it computes the
output, each measured against oneDNN per layer shape. Results agree
with ``nn.Conv2d`` to float32 rounding (the sums are taken in another
order). Since oneDNN never computes the weight gradient on the GEMM
route, a 1x1 kernel with stride there cannot hit oneDNN issue #6035 (see
:mod:`.onednn_safe_conv`).
"""
from typing import Any, Callable, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from stgcn_reg.models.routes.layer_tuner import choose_layer_route, layer_key
from stgcn_reg.models.routes.route_options import PER_LAYER, active_route

from .onednn_safe_conv import may_hit_onednn_6035
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
    """kx1 conv whose output, input gradient and weight gradient each
    take their route: oneDNN's direct convolution or the Winograd form
    (``temporal``; the input gradient of a stride-1 conv is the same
    convolution with the kernel flipped), oneDNN's or the GEMM weight
    gradient (``weight_grad``); ``per_layer`` times both for this layer
    shape on first use."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, weight: torch.Tensor,
                bias: Optional[torch.Tensor], stride: int, padding: int,
                routes: Tuple[str, str]) -> torch.Tensor:
        ctx.save_for_backward(x, weight)
        ctx.stride, ctx.padding, ctx.routes = stride, padding, routes
        return _choose_temporal(
            routes[1], x, weight, stride, padding,
            direct=lambda: F.conv2d(x, weight, bias, (stride, 1),
                                    (padding, 0)),
            winograd=lambda: winograd_conv(x, weight, bias))

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> Tuple[Any, ...]:
        x, weight = ctx.saved_tensors
        grad_out = grad_out.contiguous(memory_format=torch.channels_last)
        needs_x, needs_w, needs_b = ctx.needs_input_grad[:3]
        grad_x = grad_w = grad_b = None
        if needs_x:
            flipped = weight.flip(2).transpose(0, 1).contiguous(
                memory_format=torch.channels_last)
            grad_x = _choose_temporal(
                ctx.routes[1], grad_out, flipped, ctx.stride, ctx.padding,
                direct=lambda: _conv_backward(ctx, grad_out, x, weight,
                                              True, False)[0],
                winograd=lambda: winograd_conv(grad_out, flipped),
                product='input_grad')
        if needs_w:
            grad_w = _weight_grad(ctx, grad_out, x, weight)
        if needs_b:
            grad_b = grad_out.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None, None, None


def _choose_temporal(route: str, x: torch.Tensor, weight: torch.Tensor,
                     stride: int, padding: int,
                     direct: Callable[[], torch.Tensor],
                     winograd: Callable[[], torch.Tensor],
                     **product: str) -> torch.Tensor:
    """``direct()``, or ``winograd()`` where the route takes it and the
    conv has the Winograd form (measured per layer with ``per_layer``,
    keyed by the shapes and ``product``)."""
    if route not in ('winograd', PER_LAYER) or not winograd_applies(
            x, weight, stride, padding):
        return direct()
    if route == 'winograd':
        return winograd()
    key = layer_key('temporal', (x, weight), stride=stride, padding=padding,
                    **product)
    return choose_layer_route('temporal', key, dict(direct=direct,
                                                    winograd=winograd))[1]


def _weight_grad(ctx: Any, grad_out: torch.Tensor, x: torch.Tensor,
                 weight: torch.Tensor) -> torch.Tensor:
    """The weight gradient on ``weight_grad``'s route: the GEMMs,
    oneDNN's, or the faster of the two for this layer shape (never
    oneDNN's where issue #6035 could crash it)."""
    runs = dict(
        gemm=lambda: temporal_weight_grad(grad_out, x, weight.shape[2],
                                          ctx.stride, ctx.padding),
        onednn=lambda: _conv_backward(ctx, grad_out, x, weight, False,
                                      True)[1])
    route = ctx.routes[0]
    if may_hit_onednn_6035(x.shape[1], (weight.shape[2], 1),
                           (ctx.stride, 1)):
        route = 'gemm'
    if route != PER_LAYER:
        return runs[route]()
    key = layer_key('weight_grad', (x, weight), stride=ctx.stride,
                    padding=ctx.padding)
    return choose_layer_route('weight_grad', key, runs)[1]


def _conv_backward(ctx: Any, grad_out: torch.Tensor, x: torch.Tensor,
                   weight: torch.Tensor, needs_x: bool,
                   needs_w: bool) -> Tuple[Optional[torch.Tensor], ...]:
    """oneDNN's ``(grad_x, grad_w)`` of the conv (what autograd runs),
    None where not asked."""
    grad_x, grad_w, _ = torch.ops.aten.convolution_backward(
        grad_out, x, weight, None, [ctx.stride, 1], [ctx.padding, 0],
        [1, 1], False, [0, 0], 1, [needs_x, needs_w, False])
    return grad_x, grad_w


def is_plain_kx1(conv: nn.Conv2d) -> bool:
    """Whether ``conv`` is a kx1 convolution along time only: one group,
    no dilation, stride and padding on the time axis alone, zero
    padding (what both alternative routes below compute)."""
    return (conv.kernel_size[1] == 1 and conv.dilation == (1, 1)
            and conv.groups == 1 and conv.stride[1] == 1
            and conv.padding[1] == 0 and conv.padding_mode == 'zeros')


def uses_own_backward(x: torch.Tensor, conv: nn.Conv2d) -> bool:
    """Whether ``conv(x)`` runs through :class:`_TemporalConvFunction`
    (the GEMM weight gradient or the Winograd form, or the faster of each
    and oneDNN's per layer shape): CPU, float32, channels-last, gradients
    on, a kx1 kernel with zero padding and no dilation, ``weight_grad``
    ``gemm`` or ``per_layer`` or ``temporal`` ``winograd`` or
    ``per_layer``."""
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and conv.weight.requires_grad and torch.is_grad_enabled()
            and x.dim() == 4
            and x.is_contiguous(memory_format=torch.channels_last)
            and is_plain_kx1(conv)
            and not torch.is_autocast_enabled('cpu')
            and (active_route('weight_grad') in ('gemm', PER_LAYER)
                 or active_route('temporal') in ('winograd', PER_LAYER)))


def uses_winograd(x: torch.Tensor, conv: nn.Conv2d) -> bool:
    """Whether ``conv(x)`` may take the Winograd route in eval: chosen
    (``temporal`` ``winograd``, or ``per_layer`` where it is measured
    against the direct conv) and applicable (see
    :func:`.winograd_temporal_conv.applies`)."""
    return (active_route('temporal') in ('winograd', PER_LAYER)
            and is_plain_kx1(conv)
            and winograd_applies(x, conv.weight, conv.stride[0],
                                 conv.padding[0]))


def eval_temporal_conv(x: torch.Tensor, conv: nn.Conv2d,
                       weight: torch.Tensor,
                       bias: Optional[torch.Tensor]) -> torch.Tensor:
    """``conv``'s convolution of ``x`` with ``weight`` and ``bias`` (its
    own, or BatchNorm folded in), in the Winograd form where
    :func:`uses_winograd` and the route (or the measurement) says so."""
    def direct() -> torch.Tensor:
        return conv._conv_forward(x, weight, bias)

    if not uses_winograd(x, conv):
        return direct()
    if active_route('temporal') == 'winograd':
        return winograd_conv(x, weight, bias)
    key = layer_key('temporal', (x, weight), stride=conv.stride[0],
                    padding=conv.padding[0])
    return choose_layer_route('temporal', key, dict(
        direct=direct, winograd=lambda: winograd_conv(x, weight, bias)))[1]


def temporal_conv(x: torch.Tensor, conv: nn.Conv2d) -> torch.Tensor:
    """``conv(x)`` for a kx1 ``conv``: the Winograd form where it is the
    route in eval (:func:`eval_temporal_conv`), the own backward on CPU
    channels-last training input (:func:`uses_own_backward`)."""
    if uses_winograd(x, conv):
        return eval_temporal_conv(x, conv, conv.weight, conv.bias)
    if not uses_own_backward(x, conv):
        return conv(x)
    routes = (active_route('weight_grad'), active_route('temporal'))
    return _TemporalConvFunction.apply(x, conv.weight, conv.bias,
                                       conv.stride[0], conv.padding[0],
                                       routes)
