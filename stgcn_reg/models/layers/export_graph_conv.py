"""The graph convolution as it is written into an ONNX graph.

While a model is exported the graph convolution ``sum_k conv_k(x) @ A_k``
(and a BatchNorm in eval mode after it) is traced as three nodes whose
every axis but the batch, length and person count is a constant:

1. ``MatMul`` of the partitions stacked, ``(K*V, V)``, with the input
   seen as ``(N, T, V, C_in)``: one product aggregates the joints for all
   ``K`` partitions, on ``C_in`` channels (3 in the first block, not
   ``K*C_out``). The constant comes first and the channels last, so that
   ONNX Runtime's transpose optimiser removes the layout changes between
   this and its channels-last int8 convolutions (float32 runs as fast).
2. ``Conv`` with kernel ``(1, K)`` and dilation ``(1, V)``: output joint
   ``w`` reads column ``w + k*V`` of every partition ``k``, so the 1x1
   weights of all partitions are applied and summed in one convolution.
3. ``Add`` of a constant ``(C_out, 1, V)``: the conv bias aggregated by
   ``A`` (each joint receives the bias of every joint it aggregates) with
   the BatchNorm's shift; its scale is folded into the conv weight.

The traced conv-first form (1x1 conv, reshape, one MatMul per partition,
sums, BatchNorm) needed ``Shape`` nodes on the conv output, a ``Split``
copy and a BatchNorm that ONNX Runtime cannot fold (it follows a MatMul);
under int8 quantisation each of those became a dequantise / float op /
quantise round trip. This form runs the NTU model at batch 1 about 1.7x
faster in int8 and 1.2x in float32 in ONNX Runtime (see
docs/performance.md). Eager runs never take it.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def onnx_graph_conv(x: torch.Tensor, conv: nn.Conv2d,
                    adjacency: torch.Tensor,
                    scale: Optional[torch.Tensor] = None,
                    shift: Optional[torch.Tensor] = None) -> torch.Tensor:
    """``sum_k conv_k(x) @ A_k``, times ``scale`` plus ``shift`` per
    channel when given, as MatMul, dilated Conv and Add.

    Args:
        x (Tensor): Input ``(N, C_in, T, V)``.
        conv (nn.Conv2d): The 1x1 conv to ``K * C_out`` channels, slice
            ``k`` for partition ``k``.
        adjacency (Tensor): ``(K, V, V)``.
        scale (Tensor, optional): ``(C_out,)``, e.g. a BatchNorm's.
        shift (Tensor, optional): ``(C_out,)``, with ``scale``.

    Returns:
        Tensor: ``(N, C_out, T, V)``.
    """
    k, v, _ = adjacency.shape
    c_out = conv.out_channels // k
    # side[v, k*V + w] = A[k, v, w]
    side = adjacency.permute(1, 0, 2).reshape(v, k * v)
    # weight[o, c, 0, k] = W_k[o, c]
    weight = conv.weight.view(k, c_out, -1).permute(1, 2, 0).unsqueeze(2)
    bias = None  # (C_out, V) or (C_out, 1)
    if conv.bias is not None:
        bias = (adjacency.sum(1).t() @ conv.bias.view(k, c_out)).t()
    if scale is not None:
        weight = weight * scale.view(-1, 1, 1, 1)
        bias = shift[:, None] if bias is None else (
            bias * scale[:, None] + shift[:, None])
    # joints as rows, channels last: ONNX Runtime then cancels the
    # transposes against the ones around its channels-last (int8) convs
    aggregated = torch.matmul(side.t(), x.permute(0, 2, 3, 1))
    # contiguous: no node in the graph, but a channels-last output would
    # send the next block's trace down the fused channels-last route
    out = F.conv2d(aggregated.permute(0, 3, 1, 2).contiguous(), weight,
                   dilation=(1, v))
    return out if bias is None else out + bias.unsqueeze(1)
