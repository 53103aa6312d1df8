"""Spatial graph convolution of ST-GCN: 1x1 conv, then aggregate by A."""
import torch
from torch import nn


class GraphConv(nn.Module):
    """Graph convolution over the joints of every frame.

    A 1x1 convolution maps ``in_channels`` to ``out_channels * K`` (one
    slice per partition of ``A``), then each slice is aggregated over the
    joints with its ``(V, V)`` adjacency and the slices are summed.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        num_partitions (int): K, the number of adjacency partitions.
        bias (bool): Whether the 1x1 conv has a bias. Defaults to True.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_partitions: int,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_partitions = num_partitions
        self.conv = nn.Conv2d(
            in_channels, out_channels * num_partitions, 1, bias=bias)

    def forward(self, x: torch.Tensor,
                adjacency: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T, V)`` over the graph."""
        x = self.conv(x)
        n, kc, t, v = x.shape
        x = x.view(n, self.num_partitions, kc // self.num_partitions, t, v)
        return torch.einsum('nkctv,kvw->nctw', x, adjacency).contiguous()
