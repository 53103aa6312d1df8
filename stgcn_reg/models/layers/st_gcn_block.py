"""One ST-GCN block: graph conv, temporal conv, residual, ReLU."""
from typing import Callable, Optional

import torch
from torch import nn

from stgcn_reg.models.routes.route_options import active_route

from .export_graph_conv import onnx_graph_conv
from .graph_conv import GraphConv, fused_graph_conv, is_channels_last
from .onednn_safe_conv import conv2d
from .temporal_conv import (
    TemporalConv,
    bn_affine,
    fold_conv_bn,
    uses_running_stats,
)


class ResidualProjection(nn.Module):
    """1x1 conv + BN shortcut used where channels or stride change.

    Strided and narrower than 16 input channels, the conv is a
    :class:`~.onednn_safe_conv.OneDNNSafeConv2d` (oneDNN issue #6035).
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int) -> None:
        super().__init__()
        self.conv = conv2d(in_channels, out_channels, 1, stride=(stride, 1))
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Project ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        if uses_running_stats(self.bn):
            return self.conv._conv_forward(x, *fold_conv_bn(self.conv,
                                                           self.bn))
        return self.bn(self.conv(x))


# builds a block's strided / channel-changing shortcut: (in, out, stride)
Projection = Callable[[int, int, int], nn.Module]


def block_shortcut(residual: bool, in_channels: int, out_channels: int,
                   stride: int, projection: Projection = ResidualProjection
                   ) -> Optional[nn.Module]:
    """A block's shortcut: None without ``residual``, the identity where
    the shape is kept, else ``projection(in_channels, out_channels,
    stride)``."""
    if not residual:
        return None
    if in_channels == out_channels and stride == 1:
        return nn.Identity()
    return projection(in_channels, out_channels, stride)


class STGCNBlock(nn.Module):
    """Spatial-temporal graph convolution block.

    ``relu(tcn(gcn(x, A)) + residual(x))`` with ``tcn`` = BN, ReLU, kx1
    conv, BN, dropout. Channels-last input (as the backbone passes it)
    runs the fused graph convolution (see :class:`GraphConv`) and, in eval
    mode, every BatchNorm folded into the matmul or conv before it, with
    ReLU and the residual sum done in place. Contiguous input runs the
    layers one by one. Both give the same result.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        num_partitions (int): K, partitions of the adjacency.
        temporal_kernel_size (int): Kernel of the temporal conv.
            Defaults to 9.
        stride (int): Temporal stride. Defaults to 1.
        dropout (float): Dropout in the temporal unit. Defaults to 0.
        residual (bool): Add a shortcut: identity when the shape is kept,
            1x1 conv + BN otherwise. Defaults to True.
        float32_gcn (bool): The graph conv trains in float32 under
            autocast (the first block's, see :class:`GraphConv`).
            Defaults to False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_partitions: int,
                 temporal_kernel_size: int = 9,
                 stride: int = 1,
                 dropout: float = 0.0,
                 residual: bool = True,
                 float32_gcn: bool = False) -> None:
        super().__init__()
        self.gcn = GraphConv(in_channels, out_channels, num_partitions,
                             float32=float32_gcn)
        self.tcn = TemporalConv(out_channels, temporal_kernel_size, stride,
                                dropout)
        self.residual = block_shortcut(residual, in_channels, out_channels,
                                       stride)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor,
                adjacency: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        if is_channels_last(x) and self._eval_folding():
            return self._folded_forward(x, adjacency)
        if torch.onnx.is_in_onnx_export() and self._uses_running_stats():
            return self._export_forward(x, adjacency)
        out = self.tcn(self.gcn(x, adjacency))
        if self.residual is not None:
            # the tcn ends in BN or dropout, whose outputs autograd does
            # not keep, so the sum may overwrite them
            out = out.add_(self.residual(x))
        return self.relu(out)

    def _uses_running_stats(self) -> bool:
        return (uses_running_stats(self.tcn.bn_in)
                and uses_running_stats(self.tcn.bn_out))

    def _eval_folding(self) -> bool:
        return (not self.training and active_route('eval_bn') == 'folded'
                and self._uses_running_stats())

    def _export_forward(self, x: torch.Tensor,
                        adjacency: torch.Tensor) -> torch.Tensor:
        """Traced into ONNX: both BNs folded, the graph conv as
        :func:`~.export_graph_conv.onnx_graph_conv` (no Shape nodes)."""
        out = onnx_graph_conv(x, self.gcn.conv, adjacency,
                              *bn_affine(self.tcn.bn_in))
        out = self.tcn.folded_conv(torch.relu(out))
        if self.residual is not None:
            out = out + self.residual(x)
        return torch.relu(out)

    def _folded_forward(self, x: torch.Tensor,
                        adjacency: torch.Tensor) -> torch.Tensor:
        """Eval mode: both BNs folded away, ReLU and the sum in place."""
        scale, shift = bn_affine(self.tcn.bn_in)
        weight, bias = self.gcn.fused_parameters(adjacency, scale, shift)
        out = fused_graph_conv(x, adjacency, weight, bias).relu_()
        out = self.tcn.folded_conv(out)
        if self.residual is not None:
            out.add_(self.residual(x))
        return out.relu_()
