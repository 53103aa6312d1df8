"""Temporal (kx1) convolution in training with a route per product.

- The weight gradient: oneDNN's, k large GEMMs
  (:mod:`.gemm_weight_grad`) or, for a stride-1 9x1 conv, the Winograd
  form (:func:`.winograd_temporal_conv.winograd_weight_grad`).
- The output and the input gradient: oneDNN's direct convolution or the
  Winograd form. The input gradient of a stride-1 9x1 conv is the same
  convolution of the output gradient with the kernel flipped in time and
  its channels swapped, so Winograd computes it as it computes the
  output.

Which is fastest changes with the CPU and the width, so with the
``per_layer`` routes each product times its candidates on the layer
shape's first pass. Results agree with ``nn.Conv2d`` to float32 rounding
(the sums are taken in another order). oneDNN's weight gradient is never
taken for a 1x1 kernel with stride that issue #6035 could crash (see
:mod:`.onednn_safe_conv`).
"""
from typing import Any, Callable, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from stgcn_reg.models.routes.layer_tuner import run_layer_route
from stgcn_reg.models.routes.route_options import PER_LAYER, active_route

from .gemm_weight_grad import temporal_weight_grad
from .onednn_safe_conv import may_hit_onednn_6035
from .winograd_temporal_conv import applies as winograd_applies
from .winograd_temporal_conv import winograd_conv, winograd_weight_grad


class _TemporalConvFunction(torch.autograd.Function):
    """kx1 conv whose output, input gradient and weight gradient each
    take their route: oneDNN's direct convolution or the Winograd form
    (``temporal``; the input gradient of a stride-1 conv is the same
    convolution with the kernel flipped), oneDNN's, the GEMMs' or the
    Winograd weight gradient (``weight_grad``); ``per_layer`` times the
    candidates for this layer shape on first use."""

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
            # the transposed view has the flipped kernel's shape (keys)
            grad_x = _choose_temporal(
                ctx.routes[1], grad_out, weight.transpose(0, 1), ctx.stride,
                ctx.padding,
                direct=lambda: _conv_backward(ctx, grad_out, x, weight,
                                              True, False)[0],
                winograd=lambda: winograd_conv(grad_out, _flipped(weight)),
                product='input_grad')
        if needs_w:
            grad_w = _weight_grad(ctx, grad_out, x, weight)
        if needs_b:
            grad_b = grad_out.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None, None, None


def _flipped(weight: torch.Tensor) -> torch.Tensor:
    """The kernel whose stride-1 convolution of the output gradient is
    the input gradient: flipped in time, input and output swapped."""
    return weight.flip(2).transpose(0, 1).contiguous(
        memory_format=torch.channels_last)


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
    return run_layer_route('temporal', route, (x, weight),
                           dict(direct=direct, winograd=winograd),
                           stride=stride, padding=padding, **product)


def _weight_grad(ctx: Any, grad_out: torch.Tensor, x: torch.Tensor,
                 weight: torch.Tensor) -> torch.Tensor:
    """The weight gradient on ``weight_grad``'s route: the GEMMs,
    oneDNN's, the Winograd form (where it applies; else the GEMMs) or the
    fastest of them for this layer shape (never oneDNN's where issue
    #6035 could crash it)."""
    runs = dict(
        gemm=lambda: temporal_weight_grad(grad_out, x, weight.shape[2],
                                          ctx.stride, ctx.padding),
        onednn=lambda: _conv_backward(ctx, grad_out, x, weight, False,
                                      True)[1])
    if may_hit_onednn_6035(x.shape[1], (weight.shape[2], 1),
                           (ctx.stride, 1)):
        del runs['onednn']
    if winograd_applies(x, weight, ctx.stride, ctx.padding):
        runs['winograd'] = lambda: winograd_weight_grad(grad_out, x)
    route = ctx.routes[0]
    if len(runs) == 1 or route not in (*runs, PER_LAYER):
        route = 'gemm'  # nothing to choose, or forced where it cannot run
    return run_layer_route('weight_grad', route, (x, weight), runs,
                           stride=ctx.stride, padding=ctx.padding)


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
    (the GEMM or Winograd weight gradient, the Winograd output and input
    gradient, or the fastest of them and oneDNN's per layer shape): CPU,
    float32, channels-last, gradients on, a kx1 kernel with zero padding
    and no dilation, ``weight_grad`` ``gemm``, ``winograd`` or
    ``per_layer``, or ``temporal`` ``winograd`` or ``per_layer``."""
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and conv.weight.requires_grad and torch.is_grad_enabled()
            and x.dim() == 4
            and x.is_contiguous(memory_format=torch.channels_last)
            and is_plain_kx1(conv)
            and not torch.is_autocast_enabled('cpu')
            and (active_route('weight_grad') in ('gemm', 'winograd', PER_LAYER)
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

    if not is_plain_kx1(conv):
        return direct()
    return _choose_temporal(
        active_route('temporal'), x, weight, conv.stride[0],
        conv.padding[0], direct=direct,
        winograd=lambda: winograd_conv(x, weight, bias))


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
