"""The fused graph convolution's training pass with pooled buffers.

Same arithmetic as autograd over ``bmm`` and the projection (the same
kernels in the same order, so the same bits), but the large tensors it
makes, the aggregated joints, the output and their gradients, come from
:mod:`.buffer_pool` instead of new memory, and the joint bias is added in
place. At the NTU shape that is about 10% of a training step on a
Sapphire Rapids VM (page faults, see :mod:`.buffer_pool`).
"""
from typing import Any, Optional, Tuple

import torch
import torch.nn.functional as F
from torch.autograd.function import once_differentiable

from .buffer_pool import take_buffer, thread_pool


def uses_pooled_training(x: torch.Tensor, *params: Optional[torch.Tensor]
                         ) -> bool:
    """Whether this call takes the pooled training pass: autograd on and
    needed, eager CPU, no autocast, pooling on."""
    return (torch.is_grad_enabled() and x.device.type == 'cpu'
            and any(p is not None and p.requires_grad
                    for p in (x,) + params)
            and not torch.is_autocast_enabled('cpu')
            and not torch.compiler.is_compiling()
            and not torch.jit.is_tracing()
            and not torch.onnx.is_in_onnx_export()
            and thread_pool() is not None)


def _channels_last_strides(n: int, c: int, t: int,
                           v: int) -> Tuple[int, ...]:
    return (t * v * c, 1, v * c, c)


class PooledGraphConv(torch.autograd.Function):
    """``sum_k W_k X A_k + bias`` on channels-last rows, pooled buffers.

    Inputs: ``rows`` ``(N*T, V, C_in)`` (a view of channels-last ``x``),
    ``mixing`` ``(V*K, V)``, ``weight`` ``(C_out, K*C_in)``, ``bias``
    ``(V, C_out)`` or None, ``frames`` T and ``onednn`` (the projection
    as oneDNN's 1x1 convolution, else a GEMM). Output ``(N, C_out, T, V)``
    channels-last.
    """

    @staticmethod
    def forward(ctx: Any, rows: torch.Tensor, mixing: torch.Tensor,
                weight: torch.Tensor, bias: Optional[torch.Tensor],
                frames: int, onednn: bool) -> torch.Tensor:
        nt, v, c_in = rows.shape
        vk, c_out = mixing.shape[0], weight.shape[0]
        n = nt // frames
        aggregated = take_buffer((nt, vk, c_in), rows)
        torch.bmm(mixing.expand(nt, vk, v), rows, out=aggregated)
        if onednn:
            out = F.conv2d(_planes(aggregated, n, frames, v),
                           weight[:, :, None, None])
            out = out.contiguous(memory_format=torch.channels_last)
        else:
            out = take_buffer((n, c_out, frames, v), rows,
                              _channels_last_strides(n, c_out, frames, v))
            torch.mm(aggregated.view(nt * v, -1), weight.t(),
                     out=_memory_order(out).view(nt * v, c_out))
        if bias is not None:
            _memory_order(out).add_(bias)
        ctx.save_for_backward(rows, mixing, weight, aggregated)
        ctx.frames, ctx.onednn = frames, onednn
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad_out: torch.Tensor) -> Tuple[Any, ...]:
        rows, mixing, weight, aggregated = ctx.saved_tensors
        nt, v, c_in = rows.shape
        vk, c_out = mixing.shape[0], weight.shape[0]
        needs = ctx.needs_input_grad
        grad_out = grad_out.contiguous(memory_format=torch.channels_last)
        grad_rows2d = _memory_order(grad_out).view(nt * v, c_out)
        grad_weight = grad_bias = None
        if ctx.onednn:
            planes = _planes(aggregated, nt // ctx.frames, ctx.frames, v)
            grad_planes, grad_weight = torch.ops.aten.convolution_backward(
                grad_out, planes, weight[:, :, None, None], None, [1, 1],
                [0, 0], [1, 1], False, [0, 0], 1, [True, needs[2], False]
            )[:2]
            grad_aggregated = _memory_order(grad_planes).reshape(
                nt, vk, c_in)
            if grad_weight is not None:
                grad_weight = grad_weight.view(c_out, -1)
        else:
            grad_aggregated = take_buffer((nt, vk, c_in), rows)
            torch.mm(grad_rows2d, weight,
                     out=grad_aggregated.view(nt * v, -1))
            if needs[2]:
                grad_weight = torch.mm(grad_rows2d.t(),
                                       aggregated.view(nt * v, -1))
        if needs[3]:
            grad_bias = grad_rows2d.view(nt, v, c_out).sum(0)
        return (_grad_rows(needs[0], mixing, grad_aggregated, rows),
                _grad_mixing(needs[1], grad_aggregated, rows),
                grad_weight, grad_bias, None, None)


def _planes(aggregated: torch.Tensor, n: int, frames: int,
            v: int) -> torch.Tensor:
    """``(N*T, V*K, C)`` rows as channels-last ``(N, K*C, T, V)`` planes."""
    return aggregated.view(n, frames, v, -1).permute(0, 3, 1, 2)


def _memory_order(planes: torch.Tensor) -> torch.Tensor:
    """A channels-last ``(N, C, T, V)`` tensor as its ``(N, T, V, C)``
    memory."""
    return planes.permute(0, 2, 3, 1)


def _grad_rows(needed: bool, mixing: torch.Tensor,
               grad_aggregated: torch.Tensor,
               rows: torch.Tensor) -> Optional[torch.Tensor]:
    if not needed:
        return None
    nt, vk, _ = grad_aggregated.shape
    grad = take_buffer(rows.shape, rows)
    return torch.bmm(mixing.t().expand(nt, rows.shape[1], vk),
                     grad_aggregated, out=grad)


def _grad_mixing(needed: bool, grad_aggregated: torch.Tensor,
                 rows: torch.Tensor) -> Optional[torch.Tensor]:
    if not needed:
        return None
    nt, vk, _ = grad_aggregated.shape
    per_frame = take_buffer((nt, vk, rows.shape[1]), rows)
    torch.bmm(grad_aggregated, rows.transpose(1, 2), out=per_frame)
    return per_frame.sum(0)


def pooled_fused_graph_conv(x: torch.Tensor, mixing: torch.Tensor,
                            weight: torch.Tensor,
                            bias: Optional[torch.Tensor],
                            onednn: bool) -> torch.Tensor:
    """:class:`PooledGraphConv` on channels-last ``x`` ``(N, C, T, V)``."""
    n, c_in, t, v = x.shape
    rows = x.permute(0, 2, 3, 1).reshape(n * t, v, c_in)  # a view
    return PooledGraphConv.apply(rows, mixing, weight, bias, t, onednn)
