"""One ST-GCN++ block: adaptive graph conv, multi-scale temporal conv."""
import torch
from torch import nn

from .adaptive_graph_conv import AdaptiveGraphConv
from .multiscale_temporal_conv import MultiScaleTemporalConv
from .onednn_safe_conv import conv2d
from .st_gcn_block import block_shortcut


def _projection(in_channels: int, out_channels: int,
                stride: int) -> nn.Module:
    """Strided 1x1 conv + BN (state-dict keys ``residual.0``, ``.1``)."""
    return nn.Sequential(
        conv2d(in_channels, out_channels, 1, stride=(stride, 1)),
        nn.BatchNorm2d(out_channels))


class STGCNPPBlock(nn.Module):
    """ST-GCN++ block: ``relu(tcn(gcn(x)) + residual(x))``.

    ``gcn`` is an :class:`AdaptiveGraphConv` (learned adjacency, its own
    shortcut), ``tcn`` a :class:`MultiScaleTemporalConv` carrying the
    stride. The block's shortcut is the identity when shape is kept and a
    strided 1x1 conv + BN otherwise.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        adjacency (torch.Tensor): ``(K, V, V)`` initial adjacency.
        stride (int): Temporal stride. Defaults to 1.
        residual (bool): Add the block's shortcut. Defaults to True.
        dropout (float): Dropout in the temporal unit. Defaults to 0.
        float32_gcn (bool): The graph conv trains in float32 under
            autocast (the first block's). Defaults to False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 adjacency: torch.Tensor,
                 stride: int = 1,
                 residual: bool = True,
                 dropout: float = 0.0,
                 float32_gcn: bool = False) -> None:
        super().__init__()
        self.gcn = AdaptiveGraphConv(in_channels, out_channels, adjacency,
                                     float32=float32_gcn)
        self.tcn = MultiScaleTemporalConv(
            out_channels, out_channels, stride=stride, dropout=dropout)
        self.residual = block_shortcut(residual, in_channels, out_channels,
                                       stride, _projection)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        out = self.tcn(self.gcn(x))
        if self.residual is not None:
            out = out + self.residual(x)
        return self.relu(out)
