"""Independent re-implementation of the original ST-GCN, for tests.

Plain torch with the original key structure (``data_bn``,
``st_gcn_networks.{i}.gcn.conv``, ``tcn`` indices 0..4, ``residual`` conv +
BN, ``edge_importance``, ``fcn``, buffer ``A``), written from the paper's
equations: per block ``relu(tcn(sum_k (X W_k) A_k) + residual(X))`` with
``A_k`` masked by the learned edge importance, then global pooling, a mean
over persons and a 1x1-conv classifier. It shares no code with
``stgcn_reg.models``; only the graph's ``A`` comes from the package.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from stgcn_reg.graphs import Graph

# (in, out, stride, residual) of the reference's ten blocks; in=None is
# the input channels
REFERENCE_BLOCKS = ((None, 64, 1, False), (64, 64, 1, True),
                    (64, 64, 1, True), (64, 64, 1, True),
                    (64, 128, 2, True), (128, 128, 1, True),
                    (128, 128, 1, True), (128, 256, 2, True),
                    (256, 256, 1, True), (256, 256, 1, True))
# the blocks of tool_runner.TINY_MODEL (channels 8, 8, 16, 16; strides
# 1, 2, 1, 1)
TINY_BLOCKS = ((None, 8, 1, False), (8, 8, 2, True), (8, 16, 1, True),
               (16, 16, 1, True))


class ReferenceGraphConv(nn.Module):
    """``sum_k (X W_k) A_k``: a 1x1 conv to ``out * K``, then per partition
    a product with the ``(V, V)`` adjacency over the joints."""

    def __init__(self, in_channels: int, out_channels: int,
                 num_partitions: int) -> None:
        super().__init__()
        self.num_partitions = num_partitions
        self.conv = nn.Conv2d(in_channels, out_channels * num_partitions,
                              kernel_size=(1, 1))

    def forward(self, x: torch.Tensor, A: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        n, kc, t, v = x.shape
        x = x.view(n, self.num_partitions, kc // self.num_partitions, t, v)
        return sum(x[:, k] @ A[k] for k in range(self.num_partitions))


class ReferenceBlock(nn.Module):

    def __init__(self, in_channels: int, out_channels: int,
                 num_partitions: int, stride: int, residual: bool,
                 dropout: float) -> None:
        super().__init__()
        self.gcn = ReferenceGraphConv(in_channels, out_channels,
                                      num_partitions)
        self.tcn = nn.Sequential(
            nn.BatchNorm2d(out_channels), nn.ReLU(),
            nn.Conv2d(out_channels, out_channels, (9, 1), (stride, 1),
                      (4, 0)), nn.BatchNorm2d(out_channels),
            nn.Dropout(dropout))
        self.residual: Optional[nn.Module] = None
        if residual and (in_channels != out_channels or stride != 1):
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, (stride, 1)),
                nn.BatchNorm2d(out_channels))
        self.has_residual = residual

    def forward(self, x: torch.Tensor, A: torch.Tensor) -> torch.Tensor:
        if not self.has_residual:
            res = 0
        elif self.residual is None:
            res = x
        else:
            res = self.residual(x)
        return F.relu(self.tcn(self.gcn(x, A)) + res)


class ReferenceSTGCN(nn.Module):
    """``net.st_gcn.Model`` of the original code, key for key.

    ``blocks`` other than the reference's ten make narrow test models.
    """

    def __init__(self, in_channels: int, num_class: int, graph: Graph,
                 edge_importance_weighting: bool = True,
                 blocks: Sequence[tuple] = REFERENCE_BLOCKS) -> None:
        super().__init__()
        self.register_buffer('A', torch.tensor(graph.A, dtype=torch.float32))
        num_partitions, num_node, _ = self.A.shape
        self.data_bn = nn.BatchNorm1d(in_channels * num_node)
        self.st_gcn_networks = nn.ModuleList(
            ReferenceBlock(block_in or in_channels, block_out,
                           num_partitions, stride, residual,
                           0.5 if residual else 0.0)
            for block_in, block_out, stride, residual in blocks)
        if edge_importance_weighting:
            self.edge_importance = nn.ParameterList(
                nn.Parameter(torch.ones(self.A.shape))
                for _ in self.st_gcn_networks)
        else:
            self.edge_importance = [1] * len(self.st_gcn_networks)
        self.fcn = nn.Conv2d(blocks[-1][1], num_class, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        N, C, T, V, M = x.shape
        x = x.permute(0, 4, 3, 1, 2).contiguous().view(N * M, V * C, T)
        x = self.data_bn(x)
        x = x.view(N, M, V, C, T).permute(0, 1, 3, 4, 2).contiguous()
        x = x.view(N * M, C, T, V)
        for block, importance in zip(self.st_gcn_networks,
                                     self.edge_importance):
            x = block(x, self.A * importance)
        x = F.avg_pool2d(x, x.size()[2:])
        x = x.view(N, M, -1, 1, 1).mean(dim=1)
        return self.fcn(x).view(N, -1)


class ReferenceTwoStream(nn.Module):
    """``net.st_gcn_twostream.Model``: skeletons and motion, summed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        self.origin_stream = ReferenceSTGCN(*args, **kwargs)
        self.motion_stream = ReferenceSTGCN(*args, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        N, C, T, V, M = x.shape
        zeros = torch.zeros(N, C, 1, V, M)
        m = torch.cat((zeros, x[:, :, 1:-1] - 0.5 * x[:, :, 2:] -
                       0.5 * x[:, :, :-2], zeros), 2)
        return self.origin_stream(x) + self.motion_stream(m)


def randomize(model: nn.Module, seed: int) -> nn.Module:
    """Random weights, BN statistics and edge importance, in eval mode."""
    generator = torch.Generator().manual_seed(seed)

    def uniform(tensor, low, high):
        tensor.copy_(low + (high - low) * torch.rand(
            tensor.shape, generator=generator))

    with torch.no_grad():
        for name, param in model.named_parameters():
            if 'edge_importance' in name:
                uniform(param, 0.5, 1.5)
            elif param.dim() > 1:
                fan_in = param[0].numel()
                uniform(param, -(3 / fan_in)**0.5, (3 / fan_in)**0.5)
            elif name.endswith('weight'):  # BN scale
                uniform(param, 0.5, 1.5)
            else:
                uniform(param, -0.2, 0.2)
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                uniform(module.running_mean, -0.2, 0.2)
                uniform(module.running_var, 0.5, 2.0)
                module.num_batches_tracked.fill_(
                    int(torch.randint(1, 1000, (), generator=generator)))
    return model.eval()


def reference(layout: str, strategy: str, num_class: int, seed: int = 0,
              two_stream: bool = False, **kwargs) -> nn.Module:
    """A randomised reference (two-stream) model in eval mode.

    ``kwargs``: ``graph`` (extra :class:`Graph` arguments), and
    ``edge_importance_weighting`` and ``blocks`` of the model.
    """
    graph = Graph(layout, strategy, **kwargs.pop('graph', {}))
    cls = ReferenceTwoStream if two_stream else ReferenceSTGCN
    return randomize(cls(3, num_class, graph, **kwargs), seed)
