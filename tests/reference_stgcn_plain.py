"""ST-GCN written plainly from the equations: the benchmark's baseline.

Per block ``relu(tcn(sum_k einsum(conv1x1(X)_k, A_k)) + residual(X))``,
``tcn`` = BN, ReLU, 9x1 conv, BN, dropout; ``A_k`` times the block's edge
importance. Every layer runs as written (contiguous ``(N, C, T, V)``
tensors, a 1x1 conv to ``K*C`` channels, an einsum with ``A``), with no
fusion. It shares no code with ``stgcn_reg.models`` but uses the same
parameter names, so the state dict of our ``SkeletonRecognizer`` (STGCN
backbone, ClsHead) loads into it and the two can be compared exactly.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn


class PlainGraphConv(nn.Module):
    """``sum_k (W_k X + b_k) A_k`` via a conv to ``K*C`` and an einsum."""

    def __init__(self, in_channels: int, out_channels: int,
                 num_partitions: int) -> None:
        super().__init__()
        self.num_partitions = num_partitions
        self.conv = nn.Conv2d(in_channels, out_channels * num_partitions, 1)

    def forward(self, x: torch.Tensor, A: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, T, V)`` to ``(N, C_out, T, V)``."""
        x = self.conv(x)
        n, kc, t, v = x.shape
        x = x.view(n, self.num_partitions, kc // self.num_partitions, t, v)
        return torch.einsum('nkctv,kvw->nctw', x, A)


class PlainTemporalConv(nn.Module):
    """BN, ReLU, kx1 conv, BN, dropout."""

    def __init__(self, channels: int, kernel_size: int, stride: int,
                 dropout: float) -> None:
        super().__init__()
        self.bn_in = nn.BatchNorm2d(channels)
        self.conv = nn.Conv2d(channels, channels, (kernel_size, 1),
                              (stride, 1), ((kernel_size - 1) // 2, 0))
        self.bn_out = nn.BatchNorm2d(channels)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C, T, V)`` to ``(N, C, T / stride, V)``."""
        x = self.conv(F.relu(self.bn_in(x)))
        return self.dropout(self.bn_out(x))


class PlainProjection(nn.Module):
    """Strided 1x1 conv and BN on the shortcut."""

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, (stride, 1))
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        return self.bn(self.conv(x))


class PlainBlock(nn.Module):
    """``relu(tcn(gcn(x, A)) + residual(x))``."""

    def __init__(self, in_channels: int, out_channels: int,
                 num_partitions: int, kernel_size: int, stride: int,
                 dropout: float, residual: bool) -> None:
        super().__init__()
        self.gcn = PlainGraphConv(in_channels, out_channels, num_partitions)
        self.tcn = PlainTemporalConv(out_channels, kernel_size, stride,
                                     dropout)
        self.residual: Optional[nn.Module] = None
        if residual:
            self.residual = (
                nn.Identity() if in_channels == out_channels
                and stride == 1 else PlainProjection(
                    in_channels, out_channels, stride))

    def forward(self, x: torch.Tensor, A: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, T, V)`` to ``(N, C_out, T / stride, V)``."""
        out = self.tcn(self.gcn(x, A))
        if self.residual is not None:
            out = out + self.residual(x)
        return F.relu(out)


class PlainBackbone(nn.Module):
    """Input BN over ``V*C``, the blocks, features ``(N, M, C, T, V)``."""

    def __init__(self, A: torch.Tensor, in_channels: int,
                 channels: Sequence[int], strides: Sequence[int],
                 kernel_size: int, dropout: float,
                 edge_importance: bool) -> None:
        super().__init__()
        self.register_buffer('A', A.clone().float())
        num_partitions, num_node, _ = A.shape
        self.data_bn = nn.BatchNorm1d(in_channels * num_node)
        blocks, block_in = [], in_channels
        for index, (block_out, stride) in enumerate(zip(channels, strides)):
            blocks.append(PlainBlock(
                block_in, block_out, num_partitions, kernel_size, stride,
                dropout if index else 0.0, residual=index > 0))
            block_in = block_out
        self.blocks = nn.ModuleList(blocks)
        self.edge_importance = nn.ParameterList(
            nn.Parameter(torch.ones(A.shape)) for _ in blocks
        ) if edge_importance else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C, T, V, M)`` to ``(N, M, C_out, T_out, V)``."""
        n, c, t, v, m = x.shape
        x = x.permute(0, 4, 3, 1, 2).contiguous().view(n * m, v * c, t)
        x = self.data_bn(x)
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2).contiguous()
        x = x.view(n * m, c, t, v)
        for index, block in enumerate(self.blocks):
            A = self.A
            if self.edge_importance is not None:
                A = A * self.edge_importance[index]
            x = block(x, A)
        return x.view(n, m, *x.shape[1:])


class PlainHead(nn.Module):
    """Mean over T, V and persons, then a linear classifier."""

    def __init__(self, in_channels: int, num_classes: int) -> None:
        super().__init__()
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, C, T, V)`` to logits ``(N, num_classes)``."""
        return self.fc(x.mean(dim=(3, 4)).mean(dim=1))


class PlainSTGCN(nn.Module):
    """The plain ST-GCN recogniser (``backbone`` + ``cls_head``).

    Args:
        A (Tensor): Adjacency ``(K, V, V)`` of the graph.
        num_classes (int): Classes.
        in_channels (int): Channels per joint. Defaults to 3.
        channels (sequence of int): Block widths. Defaults to the paper's.
        strides (sequence of int): Block temporal strides. Defaults to the
            paper's.
        kernel_size (int): Temporal kernel. Defaults to 9.
        dropout (float): Dropout in blocks 2+. Defaults to 0.
        edge_importance (bool): Learnable ``A`` masks. Defaults to True.
    """

    def __init__(self,
                 A: torch.Tensor,
                 num_classes: int,
                 in_channels: int = 3,
                 channels: Sequence[int] = (64, 64, 64, 64, 128, 128, 128,
                                            256, 256, 256),
                 strides: Sequence[int] = (1, 1, 1, 1, 2, 1, 1, 2, 1, 1),
                 kernel_size: int = 9,
                 dropout: float = 0.0,
                 edge_importance: bool = True) -> None:
        super().__init__()
        self.backbone = PlainBackbone(A, in_channels, channels, strides,
                                      kernel_size, dropout, edge_importance)
        self.cls_head = PlainHead(channels[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Skeletons ``(N, C, T, V, M)`` to logits ``(N, num_classes)``."""
        return self.cls_head(self.backbone(x))
