"""The fused graph convolution's training pass with pooled buffers.

Same arithmetic as autograd over ``bmm`` and the projection (on the GEMM
route the same kernels, so the same bits), but the large tensors it
makes, the aggregated joints, the output and their gradients, come from
:mod:`.buffer_pool` instead of new memory, and the joint bias is added in
place. At the NTU shape that is about 10% of a training step on a
Sapphire Rapids VM (page faults, see :mod:`.buffer_pool`).
"""
from typing import Any, Optional, Tuple

import torch
from torch.autograd.function import once_differentiable

from .buffer_pool import take_buffer, thread_pool
from .graph_projection import (
    pooled_project,
    projection_input_grad,
    projection_weight_grad,
)
from .joint_aggregation import aggregate_joints, joint_matrix_grad


def uses_pooled_training(x: torch.Tensor, *params: Optional[torch.Tensor]
                         ) -> bool:
    """Whether this call takes the pooled training pass: autograd on and
    needed, eager CPU, pooling on."""
    return (torch.is_grad_enabled() and x.device.type == 'cpu'
            and any(p is not None and p.requires_grad
                    for p in (x,) + params)
            and not torch.compiler.is_compiling()
            and not torch.jit.is_tracing()
            and not torch.onnx.is_in_onnx_export()
            and thread_pool() is not None)


class PooledGraphConv(torch.autograd.Function):
    """``sum_k W_k X A_k + bias`` on channels-last rows, pooled buffers.

    Inputs: ``rows`` ``(N*T, V, C_in)`` (a view of channels-last ``x``),
    ``mixing`` ``(V*K, V)``, ``weight`` ``(C_out, K*C_in)``, ``bias``
    ``(V, C_out)`` or None, ``frames`` T and the ``projection`` route of
    the projection and its gradients (:mod:`.graph_projection`). Output
    ``(N, C_out, T, V)`` channels-last.
    """

    @staticmethod
    def forward(ctx: Any, rows: torch.Tensor, mixing: torch.Tensor,
                weight: torch.Tensor, bias: Optional[torch.Tensor],
                frames: int, projection: str) -> torch.Tensor:
        nt, v, c_in = rows.shape
        vk = mixing.shape[0]
        aggregated = aggregate_joints(mixing, rows,
                                      take_buffer((nt, vk, c_in), rows))
        out = pooled_project(_joint_rows(aggregated, frames, v), weight,
                             projection)
        if bias is not None:
            _memory_order(out).add_(bias)
        ctx.save_for_backward(rows, mixing, weight, aggregated)
        ctx.frames, ctx.projection = frames, projection
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad_out: torch.Tensor) -> Tuple[Any, ...]:
        rows, mixing, weight, aggregated = ctx.saved_tensors
        nt, v, _ = rows.shape
        needs = ctx.needs_input_grad
        grad_out = grad_out.contiguous(memory_format=torch.channels_last)
        joint_rows = _joint_rows(aggregated, ctx.frames, v)
        grad_weight = grad_bias = None
        if needs[2]:
            grad_weight = projection_weight_grad(grad_out, joint_rows,
                                                 weight, ctx.projection)
        if needs[3]:
            grad_bias = _memory_order(grad_out).reshape(
                nt, v, -1).sum(0)
        grad_aggregated = None
        if needs[0] or needs[1]:
            grad_aggregated = projection_input_grad(
                grad_out, joint_rows, weight,
                ctx.projection).reshape(aggregated.shape)
        return (_grad_rows(needs[0], mixing, grad_aggregated, rows),
                _grad_mixing(needs[1], grad_aggregated, rows),
                grad_weight, grad_bias, None, None)


def _joint_rows(aggregated: torch.Tensor, frames: int,
                joints: int) -> torch.Tensor:
    """``(N*T, V*K, C)`` aggregated joints as ``(N, T, V, K*C)`` rows."""
    nt = aggregated.shape[0]
    return aggregated.view(nt // frames, frames, joints, -1)


def _memory_order(planes: torch.Tensor) -> torch.Tensor:
    """A channels-last ``(N, C, T, V)`` tensor as its ``(N, T, V, C)``
    memory."""
    return planes.permute(0, 2, 3, 1)


def _grad_rows(needed: bool, mixing: torch.Tensor,
               grad_aggregated: torch.Tensor,
               rows: torch.Tensor) -> Optional[torch.Tensor]:
    if not needed:
        return None
    return aggregate_joints(mixing.t(), grad_aggregated,
                            take_buffer(rows.shape, rows))


def _grad_mixing(needed: bool, grad_aggregated: torch.Tensor,
                 rows: torch.Tensor) -> Optional[torch.Tensor]:
    if not needed:
        return None
    return joint_matrix_grad(grad_aggregated, rows,
                             lambda shape: take_buffer(shape, rows))


def pooled_fused_graph_conv(x: torch.Tensor, mixing: torch.Tensor,
                            weight: torch.Tensor,
                            bias: Optional[torch.Tensor],
                            projection: str) -> torch.Tensor:
    """:class:`PooledGraphConv` on channels-last ``x`` ``(N, C, T, V)``,
    the projection on route ``projection``; under autocast in its dtype,
    as autocast would run ``bmm`` and the GEMM (the casts done here)."""
    n, c_in, t, v = x.shape
    if torch.is_autocast_enabled('cpu'):
        dtype = torch.get_autocast_dtype('cpu')
        x, mixing, weight = (part.to(dtype) for part in (x, mixing, weight))
        bias = None if bias is None else bias.to(dtype)
        with torch.autocast('cpu', enabled=False):
            return pooled_fused_graph_conv(x, mixing, weight, bias,
                                           projection)
    rows = x.permute(0, 2, 3, 1).reshape(n * t, v, c_in)  # a view
    return PooledGraphConv.apply(rows, mixing, weight, bias, t, projection)
