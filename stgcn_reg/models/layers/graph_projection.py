"""The fused graph convolution's projection from ``K*C_in`` to ``C_out``
channels, and its two gradients, each on the route that is fastest for
its layer shape.

Each of the three products is a plain matrix product over the rows of
the channels-last features, computed either by the BLAS GEMM (``gemm``:
``torch.mm`` / ``F.linear``) or by oneDNN's 1x1 convolution and its
backward passes over the same memory seen as NHWC planes (``onednn``).
Which is faster differs by product, by width and by CPU: on a Zen 4
EPYC oneDNN computes the output 1.5-2x faster than MKL's GEMM at every
width, while the weight gradient is faster as a GEMM at some widths
and as oneDNN's backward at others. With the route ``per_layer`` each
product of each layer shape is timed once (:mod:`..routes.layer_tuner`).
Below oneDNN's channel block (the tiny first layer) the GEMM is taken.
"""
from typing import Sequence

import torch
import torch.nn.functional as F

from stgcn_reg.models.routes.layer_tuner import run_layer_route
from stgcn_reg.models.routes.route_options import active_route

from .buffer_pool import take_buffer
from .onednn_safe_conv import ONEDNN_CHANNEL_BLOCK


def projection_route(in_channels: int) -> str:
    """The active ``projection`` route for ``K*C_in`` input channels;
    ``gemm`` below oneDNN's channel block."""
    route = active_route('projection')
    if route != 'gemm' and in_channels < ONEDNN_CHANNEL_BLOCK:
        return 'gemm'
    return route


def as_planes(rows: torch.Tensor) -> torch.Tensor:
    """``(N, T, V, C)`` rows as the channels-last ``(N, C, T, V)`` view
    that oneDNN's convolution takes (no copy)."""
    return rows.permute(0, 3, 1, 2)


def project(rows: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``rows @ weight.T`` for ``rows`` ``(N, T, V, K*C_in)``, contiguous
    out, on the active ``projection`` route (under autocast too)."""
    def onednn() -> torch.Tensor:
        out = F.conv2d(as_planes(rows), weight[:, :, None, None])
        # a view when oneDNN kept channels-last (it does), else a copy
        return out.permute(0, 2, 3, 1).contiguous()

    return run_layer_route(
        'projection', projection_route(rows.shape[-1]), (rows, weight),
        dict(gemm=lambda: F.linear(rows, weight), onednn=onednn),
        product='output')


def pooled_project(rows: torch.Tensor, weight: torch.Tensor,
                   route: str) -> torch.Tensor:
    """:func:`project` for training, the GEMM writing into a pooled
    buffer; ``(N, C_out, T, V)`` channels-last out."""
    n, t, v, _ = rows.shape
    c_out = weight.shape[0]

    def gemm() -> torch.Tensor:
        out = take_buffer((n, c_out, t, v), rows,
                          (t * v * c_out, 1, v * c_out, c_out))
        torch.mm(rows.reshape(n * t * v, -1), weight.t(),
                 out=out.permute(0, 2, 3, 1).view(n * t * v, c_out))
        return out

    def onednn() -> torch.Tensor:
        out = F.conv2d(as_planes(rows), weight[:, :, None, None])
        return out.contiguous(memory_format=torch.channels_last)

    return run_layer_route('projection', route, (rows, weight),
                           dict(gemm=gemm, onednn=onednn),
                           product='pooled_output')


def projection_input_grad(grad_out: torch.Tensor, rows: torch.Tensor,
                          weight: torch.Tensor, route: str) -> torch.Tensor:
    """Gradient ``(N, T, V, K*C_in)`` of the projection's input, from the
    channels-last ``grad_out`` ``(N, C_out, T, V)``."""
    n, t, v, k_c_in = rows.shape

    def gemm() -> torch.Tensor:
        grad = take_buffer(rows.shape, rows)
        torch.mm(grad_out.permute(0, 2, 3, 1).reshape(n * t * v, -1),
                 weight, out=grad.view(n * t * v, k_c_in))
        return grad

    def onednn() -> torch.Tensor:
        grad = _conv_backward(grad_out, rows, weight, (True, False))[0]
        return grad.permute(0, 2, 3, 1)  # a view: oneDNN kept NHWC

    return run_layer_route('projection', route, (grad_out, weight),
                           dict(gemm=gemm, onednn=onednn),
                           product='input_grad')


def projection_weight_grad(grad_out: torch.Tensor, rows: torch.Tensor,
                           weight: torch.Tensor, route: str) -> torch.Tensor:
    """Gradient ``(C_out, K*C_in)`` of the projection's weight."""
    n, t, v, k_c_in = rows.shape

    def gemm() -> torch.Tensor:
        grad_rows = grad_out.permute(0, 2, 3, 1).reshape(n * t * v, -1)
        flat_rows = rows.reshape(n * t * v, k_c_in)
        if k_c_in < ONEDNN_CHANNEL_BLOCK:
            # the first layer (e.g. 3 partitions x 3 coordinates), which
            # takes the GEMM only: MKL computes so narrow a product 4x
            # faster with the narrow side as its rows (Zen 4, NTU shape,
            # alternating in one process: 2.29 against 9.09 ms)
            return torch.mm(flat_rows.t(), grad_rows).t().contiguous()
        return torch.mm(grad_rows.t(), flat_rows)

    def onednn() -> torch.Tensor:
        grad = _conv_backward(grad_out, rows, weight, (False, True))[1]
        return grad.view(weight.shape)

    return run_layer_route('projection', route, (grad_out, rows),
                           dict(gemm=gemm, onednn=onednn),
                           product='weight_grad')


def _conv_backward(grad_out: torch.Tensor, rows: torch.Tensor,
                   weight: torch.Tensor, needs: Sequence[bool]):
    """oneDNN's backward of the 1x1 convolution over ``rows``' planes."""
    return torch.ops.aten.convolution_backward(
        grad_out, as_planes(rows), weight[:, :, None, None], None, [1, 1],
        [0, 0], [1, 1], False, [0, 0], 1, [needs[0], needs[1], False])[:2]
