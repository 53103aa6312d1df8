"""ST-GCN backbone (Yan et al., AAAI 2018), faithful to the reference code."""
from typing import Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.registry import GRAPHS, MODELS

from ..layers import STGCNBlock

DEFAULT_CHANNELS = (64, 64, 64, 64, 128, 128, 128, 256, 256, 256)
DEFAULT_STRIDES = (1, 1, 1, 1, 2, 1, 1, 2, 1, 1)


@MODELS.register_module()
class STGCN(BaseModule):
    """Spatial Temporal Graph Convolutional Network backbone.

    Input ``(N, C, T, V, M)`` goes through a BatchNorm over ``V*C`` (channel
    index ``v*C + c``, shared by the persons), then the ST-GCN blocks; each
    block multiplies the adjacency by its learnable edge-importance mask.
    The first block has no residual, as in the reference code.

    Args:
        graph_cfg (dict | Graph): The skeleton graph, e.g.
            ``dict(type='Graph', layout='ntu-rgb+d', strategy='spatial')``.
        in_channels (int): Channels per joint (3 for x, y, z or x, y,
            score). Defaults to 3.
        channels (sequence of int): Output channels of each block.
            Defaults to the paper's 64 x4, 128 x3, 256 x3.
        strides (sequence of int): Temporal stride of each block.
            Defaults to 2 at the 5th and 8th block.
        temporal_kernel_size (int): Temporal conv kernel. Defaults to 9.
        dropout (float): Dropout in every block but the first.
            Defaults to 0.
        edge_importance_weighting (bool): Learn a ``(K, V, V)`` mask per
            block. Defaults to True.
        init_cfg (dict, optional): mmengine init config. Defaults to None,
            which uses the reference initialisation.

    Returns features of shape ``(N, M, C_out, T_out, V)``.
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int = 3,
                 channels: Sequence[int] = DEFAULT_CHANNELS,
                 strides: Sequence[int] = DEFAULT_STRIDES,
                 temporal_kernel_size: int = 9,
                 dropout: float = 0.0,
                 edge_importance_weighting: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(channels) != len(strides) or not channels:
            raise ValueError(
                'STGCN: channels and strides must be non-empty and of equal '
                f'length, got {len(channels)} and {len(strides)}')
        self.graph = (
            graph_cfg if isinstance(graph_cfg, Graph) else
            GRAPHS.build(graph_cfg))
        adjacency = torch.tensor(self.graph.A, dtype=torch.float32)
        self.register_buffer('A', adjacency)
        num_partitions, num_node, _ = adjacency.shape
        self.in_channels = in_channels
        self.num_node = num_node
        self.out_channels = channels[-1]
        self.data_bn = nn.BatchNorm1d(in_channels * num_node)

        blocks = []
        block_in = in_channels
        for index, (block_out, stride) in enumerate(zip(channels, strides)):
            first = index == 0
            blocks.append(
                STGCNBlock(
                    block_in,
                    block_out,
                    num_partitions,
                    temporal_kernel_size=temporal_kernel_size,
                    stride=stride,
                    dropout=0.0 if first else dropout,
                    residual=not first))
            block_in = block_out
        self.blocks = nn.ModuleList(blocks)
        self.edge_importance = nn.ParameterList([
            nn.Parameter(torch.ones_like(adjacency))
            for _ in self.blocks
        ]) if edge_importance_weighting else None

    def init_weights(self) -> None:
        """Reference init: conv N(0, 0.02), BN weight N(1, 0.02), zero bias."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for module in self.modules():
            if isinstance(module, (nn.Conv1d, nn.Conv2d)):
                nn.init.normal_(module.weight, 0.0, 0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.modules.batchnorm._BatchNorm):
                nn.init.normal_(module.weight, 1.0, 0.02)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map skeletons ``(N, C, T, V, M)`` to ``(N, M, C_out, T_out, V)``."""
        self._check_input(x)
        n, c, t, v, m = x.shape
        # (N, M, V, C, T): BatchNorm over V*C with channel index v*C + c
        x = x.permute(0, 4, 3, 1, 2).reshape(n * m, v * c, t)
        x = self.data_bn(x)
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2)
        x = x.reshape(n * m, c, t, v)
        for index, block in enumerate(self.blocks):
            adjacency = self.A
            if self.edge_importance is not None:
                adjacency = adjacency * self.edge_importance[index]
            x = block(x, adjacency)
        return x.view(n, m, *x.shape[1:])

    def _check_input(self, x: torch.Tensor) -> None:
        if x.dim() != 5:
            raise ValueError(
                'STGCN expects input of shape (N, C, T, V, M), got '
                f'{x.dim()}-D shape {tuple(x.shape)}')
        _, c, _, v, _ = x.shape
        if c != self.in_channels or v != self.num_node:
            raise ValueError(
                f'STGCN input {tuple(x.shape)} does not match the model: '
                f'expected C={self.in_channels} channels and V='
                f'{self.num_node} joints (graph layout '
                f'{self.graph.layout.name!r})')
