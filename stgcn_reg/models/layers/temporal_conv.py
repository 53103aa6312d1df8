"""Temporal convolution unit of ST-GCN: BN, ReLU, kx1 conv, BN, dropout."""
import torch
from torch import nn


class TemporalConv(nn.Module):
    """Convolution along time applied after the graph convolution.

    Args:
        channels (int): Input and output channels.
        kernel_size (int): Temporal kernel size (odd). Defaults to 9.
        stride (int): Temporal stride. Defaults to 1.
        dropout (float): Dropout probability after the last BN.
            Defaults to 0.
    """

    def __init__(self,
                 channels: int,
                 kernel_size: int = 9,
                 stride: int = 1,
                 dropout: float = 0.0) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(
                f'temporal kernel_size must be odd, got {kernel_size}')
        self.bn_in = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(
            channels,
            channels, (kernel_size, 1),
            stride=(stride, 1),
            padding=((kernel_size - 1) // 2, 0))
        self.bn_out = nn.BatchNorm2d(channels)
        self.dropout = nn.Dropout(dropout, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C, T, V)`` to ``(N, C, T / stride, V)``."""
        x = self.relu(self.bn_in(x))
        return self.dropout(self.bn_out(self.conv(x)))
