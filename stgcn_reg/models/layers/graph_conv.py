"""Spatial graph convolution of ST-GCN: 1x1 conv, then aggregate by A."""
import math
import threading
from typing import Optional, Tuple

import torch
from torch import nn

from .export_graph_conv import onnx_graph_conv
from .float32_region import in_float32
from .graph_projection import project, projection_route
from .joint_aggregation import aggregate_joints
from .pooled_graph_conv import pooled_fused_graph_conv, uses_pooled_training


def is_channels_last(x: torch.Tensor) -> bool:
    """Whether a 4-D tensor is stored as ``(N, T, V, C)`` in memory."""
    return x.dim() == 4 and x.is_contiguous(memory_format=torch.channels_last)


class GraphConv(nn.Module):
    """Graph convolution over the joints of every frame.

    Computes ``sum_k W_k X A_k`` (plus the conv bias aggregated by ``A``):
    a 1x1 convolution maps ``in_channels`` to ``out_channels * K`` (one
    slice per partition of ``A``), each slice is aggregated over the joints
    with its ``(V, V)`` adjacency and the slices are summed.

    Input in the default (contiguous) layout takes exactly that route: a
    1x1 conv and an einsum (while exported to ONNX, the form of
    :mod:`.export_graph_conv`). Input stored channels-last (``(N, T, V, C)``
    in memory, as the backbone keeps it) takes a fused route with the same
    result: first aggregate the joints for all ``K`` partitions at once
    (one batched matmul with a ``(V*K, V)`` matrix), then one matmul with
    the ``(C_out, K*C_in)`` weight, which sums the partitions inside the
    matmul. There is no ``K*C_out`` intermediate, no permute copy, and the
    aggregation runs on ``C_in`` instead of ``C_out`` channels.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        num_partitions (int): K, the number of adjacency partitions.
        bias (bool): Whether the 1x1 conv has a bias. Defaults to True.
        float32 (bool): Train in float32 under autocast, the input cast
            up (the first layer, which reads the raw coordinates: see
            :mod:`.float32_region`); eval mode keeps the autocast dtype.
            Defaults to False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_partitions: int,
                 bias: bool = True,
                 float32: bool = False) -> None:
        super().__init__()
        self.num_partitions = num_partitions
        self.out_channels = out_channels
        self.float32 = float32
        self.conv = nn.Conv2d(
            in_channels, out_channels * num_partitions, 1, bias=bias)

    def forward(self, x: torch.Tensor,
                adjacency: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T, V)`` over the graph.

        The output keeps the input's memory format (channels-last in,
        channels-last out).
        """
        if self.float32 and self.training:
            return in_float32(self._forward, x, adjacency)
        return self._forward(x, adjacency)

    def _forward(self, x: torch.Tensor,
                 adjacency: torch.Tensor) -> torch.Tensor:
        if is_channels_last(x):
            weight, bias = self.fused_parameters(adjacency)
            return fused_graph_conv(x, adjacency, weight, bias)
        if torch.onnx.is_in_onnx_export():
            return onnx_graph_conv(x, self.conv, adjacency)
        x = self.conv(x)
        n, kc, t, v = x.shape
        x = x.view(n, self.num_partitions, kc // self.num_partitions, t, v)
        return torch.einsum('nkctv,kvw->nctw', x, adjacency).contiguous()

    def fused_parameters(
        self,
        adjacency: torch.Tensor,
        scale: Optional[torch.Tensor] = None,
        shift: Optional[torch.Tensor] = None
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Weight ``(C_out, K*C_in)`` and joint bias ``(V, C_out)`` of the
        fused route, optionally followed by a per-channel ``scale`` and
        ``shift`` (a BatchNorm in eval mode folded in).

        The conv bias ``b_k`` becomes ``sum_k b_k * colsum(A_k)``: each
        joint receives the bias of every joint it aggregates.
        """
        k = self.num_partitions
        c_out = self.out_channels
        weight = self.conv.weight.view(k, c_out, -1)
        weight = weight.transpose(0, 1).reshape(c_out, -1)
        bias = None
        if self.conv.bias is not None:
            bias = adjacency.sum(1).t() @ self.conv.bias.view(k, c_out)
        if scale is not None:
            weight = weight * scale[:, None]
            bias = shift if bias is None else bias * scale + shift
        return weight, bias


def fused_graph_conv(x: torch.Tensor, adjacency: torch.Tensor,
                     weight: torch.Tensor,
                     bias: Optional[torch.Tensor]) -> torch.Tensor:
    """``sum_k W_k X A_k + bias`` for channels-last ``x`` ``(N, C, T, V)``.

    Args:
        x (Tensor): Input ``(N, C_in, T, V)``, channels-last in memory.
        adjacency (Tensor): ``(K, V, V)``.
        weight (Tensor): ``(C_out, K*C_in)``, column ``k*C_in + c``.
        bias (Tensor, optional): ``(V, C_out)``.

    Returns:
        Tensor: ``(N, C_out, T, V)``, channels-last in memory.
    """
    n, c_in, t, v = x.shape
    k = adjacency.shape[0]
    # aggregated[n*t, w*K + k, c] = sum_v A[k, v, w] x[n*t, v, c]
    mixing = adjacency.permute(2, 0, 1).reshape(v * k, v)
    if uses_pooled_training(x, adjacency, weight, bias):
        return pooled_fused_graph_conv(x, mixing, weight, bias,
                                       projection_route(k * c_in))
    rows = x.permute(0, 2, 3, 1).reshape(n * t, v, c_in)  # a view
    device = x.device.type
    if torch.is_autocast_enabled(device):
        # cast the small matrix before broadcasting it: autocast would
        # cast the broadcast view, a full (N*T, V*K, V) copy per call;
        # the rows too, so that the aggregation can write a workspace
        # of the dtype it computes in
        dtype = torch.get_autocast_dtype(device)
        mixing, rows = mixing.to(dtype), rows.to(dtype)
    # bmm with the small matrix broadcast (torch.matmul would transpose
    # both big operands into copies to make one large matmul), or one
    # GEMM at the first layer's few channels
    aggregated = aggregate_joints(
        mixing, rows, aggregation_workspace(rows, n * t, v * k, c_in))
    out = project(aggregated.view(n, t, v, k * c_in), weight)
    if bias is not None:
        # in out's dtype: a float32 bias (BatchNorm folded in) added to a
        # bf16 output under autocast takes ATen's slow mixed-dtype path
        bias = bias.to(out.dtype)
        # in place only without autograd: an in-place op on a view would
        # make autograd copy the whole gradient (CopySlices)
        out = out + bias if out.requires_grad else out.add_(bias)
    return out.permute(0, 3, 1, 2)


_WORKSPACES = threading.local()


def aggregation_workspace(x: torch.Tensor, *shape: int
                          ) -> Optional[torch.Tensor]:
    """A reused ``shape`` buffer of ``x``'s dtype for the aggregated
    joints when nothing keeps it (no autograd, eager CPU), else None (a
    new tensor). Under autocast the caller passes its rows already cast,
    so the buffer has the dtype the aggregation computes in.

    At ST-GCN's sizes the aggregated tensor is the step's largest (``K``
    times the input, 46 MB at the NTU shape, batch 4, 23 MB in bf16):
    around glibc's mmap threshold, so a fresh one can come from the
    kernel on every call, and its page faults cost as much as the batched
    matmul that fills it. One buffer per thread and dtype, grown to the
    largest size asked for, is reused by every layer (the projection
    reads it before the next layer runs)."""
    if (x.device.type != 'cpu' or torch.is_grad_enabled()
            or torch.compiler.is_compiling() or torch.jit.is_tracing()
            or torch.onnx.is_in_onnx_export()):
        return None
    numel = math.prod(shape)
    buffers = _WORKSPACES.__dict__
    buffer = buffers.get(x.dtype)
    if buffer is None or buffer.numel() < numel:
        # a normal tensor, not an inference one: an inference tensor may
        # not be written outside inference_mode, a normal one may be both
        with torch.inference_mode(False):
            buffer = buffers[x.dtype] = x.new_empty(numel)
    return buffer[:numel].view(shape)
