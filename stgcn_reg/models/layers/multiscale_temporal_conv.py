"""Multi-scale temporal convolution of ST-GCN++ (PYSKL's ``mstcn``)."""
from typing import List, Sequence

import torch
from torch import nn

from .onednn_safe_conv import conv2d

DEFAULT_DILATIONS = (1, 2, 3, 4)


def _branch_channels(out_channels: int, num_branches: int) -> List[int]:
    """Split ``out_channels`` over the branches; the first takes the rest
    of the division."""
    share = out_channels // num_branches
    return [out_channels - share * (num_branches - 1)] + [share] * (
        num_branches - 1)


class MultiScaleTemporalConv(nn.Module):
    """Parallel temporal branches over several time scales, concatenated.

    Branches, each on ``in_channels``:

    - one per dilation ``d``: 1x1 conv, BN, ReLU, then a ``kernel_size``
      x 1 temporal conv with dilation ``d`` (receptive field
      ``(kernel_size - 1) * d + 1`` frames);
    - a max-pool branch: 1x1 conv, BN, ReLU, ``pool_size`` x 1 max pool;
    - a 1x1 branch: one 1x1 conv.

    Each branch gets ``out_channels // num_branches`` channels (the first
    also the remainder) and the stride in time. The concatenation goes
    through BN, ReLU and a 1x1 conv mixing the branches, then a BN and
    dropout. With the default 6 branches this is PYSKL's ``mstcn``.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (at least one per branch).
        stride (int): Temporal stride. Defaults to 1.
        dilations (sequence of int): Dilation of each conv branch.
            Defaults to (1, 2, 3, 4).
        kernel_size (int): Odd temporal kernel of the conv branches.
            Defaults to 3.
        pool_size (int): Odd temporal window of the max pool. Defaults
            to 3.
        dropout (float): Dropout after the last BN. Defaults to 0.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 dilations: Sequence[int] = DEFAULT_DILATIONS,
                 kernel_size: int = 3,
                 pool_size: int = 3,
                 dropout: float = 0.0) -> None:
        super().__init__()
        if kernel_size % 2 != 1 or pool_size % 2 != 1:
            raise ValueError(
                'MultiScaleTemporalConv: kernel_size and pool_size must be '
                f'odd, got {kernel_size} and {pool_size}')
        num_branches = len(dilations) + 2
        if out_channels < num_branches:
            raise ValueError(
                f'MultiScaleTemporalConv: out_channels={out_channels} is '
                f'fewer than its {num_branches} branches')
        widths = _branch_channels(out_channels, num_branches)
        branches: List[nn.Module] = []
        for width, dilation in zip(widths, dilations):
            branches.append(nn.Sequential(
                *self._squeeze(in_channels, width),
                conv2d(width, width, (kernel_size, 1),
                       stride=(stride, 1),
                       padding=((kernel_size - 1) * dilation // 2, 0),
                       dilation=(dilation, 1))))
        branches.append(nn.Sequential(
            *self._squeeze(in_channels, widths[-2]),
            nn.MaxPool2d((pool_size, 1), stride=(stride, 1),
                         padding=(pool_size // 2, 0))))
        branches.append(
            conv2d(in_channels, widths[-1], 1, stride=(stride, 1)))
        self.branches = nn.ModuleList(branches)
        self.transform = nn.Sequential(
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 1))
        self.bn = nn.BatchNorm2d(out_channels)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    @staticmethod
    def _squeeze(in_channels: int, width: int) -> List[nn.Module]:
        """1x1 conv, BN, ReLU opening a branch."""
        return [
            nn.Conv2d(in_channels, width, 1),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True)
        ]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        out = torch.cat([branch(x) for branch in self.branches], dim=1)
        return self.dropout(self.bn(self.transform(out)))
