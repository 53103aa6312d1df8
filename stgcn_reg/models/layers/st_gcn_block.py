"""One ST-GCN block: graph conv, temporal conv, residual, ReLU."""
from typing import Optional

import torch
from torch import nn

from .graph_conv import GraphConv
from .temporal_conv import TemporalConv


class ResidualProjection(nn.Module):
    """1x1 conv + BN shortcut used where channels or stride change."""

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(
            in_channels, out_channels, 1, stride=(stride, 1))
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Project ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        return self.bn(self.conv(x))


class STGCNBlock(nn.Module):
    """Spatial-temporal graph convolution block.

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
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_partitions: int,
                 temporal_kernel_size: int = 9,
                 stride: int = 1,
                 dropout: float = 0.0,
                 residual: bool = True) -> None:
        super().__init__()
        self.gcn = GraphConv(in_channels, out_channels, num_partitions)
        self.tcn = TemporalConv(out_channels, temporal_kernel_size, stride,
                                dropout)
        self.residual: Optional[nn.Module]
        if not residual:
            self.residual = None
        elif in_channels == out_channels and stride == 1:
            self.residual = nn.Identity()
        else:
            self.residual = ResidualProjection(in_channels, out_channels,
                                               stride)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor,
                adjacency: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        out = self.tcn(self.gcn(x, adjacency))
        if self.residual is not None:
            out = out + self.residual(x)
        return self.relu(out)
