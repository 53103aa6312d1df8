"""Temporal convolution unit of ST-GCN: BN, ReLU, kx1 conv, BN, dropout."""
from typing import Tuple

import torch
from torch import nn

from .fast_dropout import FastDropout
from .onednn_safe_conv import conv2d
from .temporal_conv_grad import eval_temporal_conv, temporal_conv


def bn_affine(bn: nn.modules.batchnorm._BatchNorm
              ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Per-channel ``(scale, shift)`` of a BatchNorm in eval mode."""
    scale = torch.rsqrt(bn.running_var + bn.eps)
    if bn.weight is not None:
        scale = scale * bn.weight
    shift = -bn.running_mean * scale
    if bn.bias is not None:
        shift = shift + bn.bias
    return scale, shift


def uses_running_stats(bn: nn.modules.batchnorm._BatchNorm) -> bool:
    """Whether ``bn`` normalises with its running statistics (eval mode)."""
    return not bn.training and bn.running_mean is not None


def fold_conv_bn(
    conv: nn.Conv2d, bn: nn.modules.batchnorm._BatchNorm
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Weight and bias of ``bn(conv(x))`` as one conv, ``bn`` in eval mode."""
    scale, shift = bn_affine(bn)
    weight = conv.weight * scale.view(-1, 1, 1, 1)
    bias = shift if conv.bias is None else conv.bias * scale + shift
    return weight, bias


class TemporalConv(nn.Module):
    """Convolution along time applied after the graph convolution.

    Args:
        channels (int): Input and output channels.
        kernel_size (int): Temporal kernel size (odd). Defaults to 9.
        stride (int): Temporal stride. Defaults to 1.
        dropout (float): Dropout probability after the last BN
            (:class:`FastDropout`). Defaults to 0.
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
        self.conv = conv2d(
            channels,
            channels, (kernel_size, 1),
            stride=(stride, 1),
            padding=((kernel_size - 1) // 2, 0))
        self.bn_out = nn.BatchNorm2d(channels)
        self.dropout = FastDropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C, T, V)`` to ``(N, C, T / stride, V)``."""
        x = self.relu(self.bn_in(x))
        return self.dropout(self.bn_out(temporal_conv(x, self.conv)))

    def folded_conv(self, x: torch.Tensor) -> torch.Tensor:
        """``bn_out(conv(x))`` as one convolution (eval mode only)."""
        weight, bias = fold_conv_bn(self.conv, self.bn_out)
        return eval_temporal_conv(x, self.conv, weight, bias)
