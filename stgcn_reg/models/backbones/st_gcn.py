"""ST-GCN backbone (Yan et al., AAAI 2018), faithful to the reference code."""
from typing import Callable, Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.registry import GRAPHS, MODELS

from ..layers import STGCNBlock, checkpoint_block
from .input_checks import check_skeleton_input

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
        channels_last (bool): Keep features as ``(N, T, V, C)`` in memory
            and run the fused graph convolution and, in eval mode, the
            BatchNorms folded into the convolutions (see
            :class:`STGCNBlock`). Same results, faster; False runs the
            layers one by one as written. Defaults to True.
        with_cp (bool): Gradient checkpointing per block: keep each
            block's input and temporal-conv output, recompute the rest in
            the backward pass (less memory, a little more time).
            Defaults to False.
        compile (bool | dict): Run the blocks through ``torch.compile``
            (a dict holds its keyword arguments, e.g.
            ``dict(mode='max-autotune')``). Compiled on the first forward.
            Defaults to False.
        init_cfg (dict, optional): mmengine init config. Defaults to None,
            which uses the reference initialisation.

    Returns features of shape ``(N, M, C_out, T_out, V)`` (channels-last
    in memory when ``channels_last``).
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int = 3,
                 channels: Sequence[int] = DEFAULT_CHANNELS,
                 strides: Sequence[int] = DEFAULT_STRIDES,
                 temporal_kernel_size: int = 9,
                 dropout: float = 0.0,
                 edge_importance_weighting: bool = True,
                 channels_last: bool = True,
                 with_cp: bool = False,
                 compile: Union[bool, dict] = False,
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
        self.channels_last = channels_last
        self.with_cp = with_cp
        # torch.compile keyword arguments, None when off (not named
        # ``self.compile``: that would hide ``nn.Module.compile()``)
        self.compile_cfg: Optional[dict] = (
            dict(compile) if isinstance(compile, dict) else
            ({} if compile else None))
        self._compiled: Optional[Callable] = None

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
        x = self.data_bn(x).view(n, m, v, c, t)
        if self.channels_last:  # (N*M, T, V, C) in memory
            x = x.permute(0, 1, 4, 2, 3).contiguous().view(n * m, t, v, c)
            x = x.permute(0, 3, 1, 2)
        else:
            x = x.permute(0, 1, 3, 4, 2).reshape(n * m, c, t, v)
        if self.compile_cfg is not None:
            x = self._compiled_blocks()(x)
        else:
            x = self._run_blocks(x)
        return x.view(n, m, *x.shape[1:])

    def adjacencies(self) -> torch.Tensor:
        """``(num_blocks, K, V, V)``: A times each block's edge importance,
        in one product per forward pass."""
        if self.edge_importance is None:
            return self.A.expand(len(self.blocks), *self.A.shape)
        return self.A * torch.stack(list(self.edge_importance))

    def _run_blocks(self, x: torch.Tensor) -> torch.Tensor:
        checkpointing = (self.with_cp and self.training
                         and torch.is_grad_enabled())
        for block, adjacency in zip(self.blocks, self.adjacencies()):
            if checkpointing:
                x = checkpoint_block(block, x, adjacency)
            else:
                x = block(x, adjacency)
        return x

    def _compiled_blocks(self) -> Callable:
        if self._compiled is None:
            self._compiled = torch.compile(self._run_blocks,
                                           **(self.compile_cfg or {}))
        return self._compiled

    def _check_input(self, x: torch.Tensor) -> None:
        check_skeleton_input(x, self.in_channels, self.num_node,
                             self.graph.layout.name, 'STGCN')
