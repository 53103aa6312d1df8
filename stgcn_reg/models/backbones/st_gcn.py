"""ST-GCN backbone (Yan et al., AAAI 2018), faithful to the reference code."""
from functools import partial
from typing import Callable, Optional, Sequence, Union

import torch
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.registry import MODELS

from ..layers import STGCNBlock, checkpoint_block
from .skeleton_backbone import (
    DEFAULT_CHANNELS,
    DEFAULT_STRIDES,
    SkeletonBackbone,
)


@MODELS.register_module()
class STGCN(SkeletonBackbone):
    """Spatial Temporal Graph Convolutional Network backbone.

    Input ``(N, C, T, V, M)`` goes through the input BatchNorm of
    :class:`SkeletonBackbone`, then the ST-GCN blocks; each block
    multiplies the adjacency by its learnable edge-importance mask. The
    first block has no residual, as in the reference code.

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
        channels_last (bool, optional): Keep features as ``(N, T, V, C)``
            in memory and run the fused graph convolution and, in eval
            mode, the BatchNorms folded into the convolutions (see
            :class:`STGCNBlock`); False runs the layers one by one as
            written. Same results; which is faster depends on the CPU and
            the pass, so None (the default) measures it on first use
            (see :mod:`stgcn_reg.models.routes`).
        routes (dict, optional): Kernel routes to force (``memory_format``,
            ``weight_grad``, ``eval_bn``, ``projection``, ``temporal``);
            the others are measured.
        with_cp (bool): Gradient checkpointing per block: keep each
            block's input and temporal-conv output, recompute the rest in
            the backward pass (less memory, a little more time).
            Defaults to False.
        compile (bool | dict): Run the blocks through ``torch.compile``
            (a dict holds its keyword arguments, e.g.
            ``dict(mode='max-autotune')``). Compiled on the first forward.
            Defaults to False.
        fp32_first_gcn (bool): The first graph conv (the raw
            coordinates) trains in float32 under autocast (see
            :class:`SkeletonBackbone`). Defaults to True.
        fp32_blocks (int): Leading blocks trained in float32 under autocast
            (see :class:`SkeletonBackbone`). Defaults to 0.
        init_cfg (dict, optional): mmengine init config. Defaults to None,
            which uses the reference initialisation.

    Returns features of shape ``(N, M, C_out, T_out, V)`` (channels-last
    in memory on the ``channels_last`` route).
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int = 3,
                 channels: Sequence[int] = DEFAULT_CHANNELS,
                 strides: Sequence[int] = DEFAULT_STRIDES,
                 temporal_kernel_size: int = 9,
                 dropout: float = 0.0,
                 edge_importance_weighting: bool = True,
                 channels_last: Optional[bool] = None,
                 routes: Optional[dict] = None,
                 with_cp: bool = False,
                 compile: Union[bool, dict] = False,
                 fp32_first_gcn: bool = True,
                 fp32_blocks: int = 0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(graph_cfg, in_channels, channels, strides,
                         channels_last=channels_last, routes=routes,
                         fp32_first_gcn=fp32_first_gcn,
                         fp32_blocks=fp32_blocks, init_cfg=init_cfg)
        adjacency = self.graph_adjacency()
        self.register_buffer('A', adjacency)
        num_partitions = adjacency.shape[0]
        self.blocks = nn.ModuleList(
            STGCNBlock(
                block_in,
                block_out,
                num_partitions,
                temporal_kernel_size=temporal_kernel_size,
                stride=stride,
                dropout=0.0 if first else dropout,
                residual=not first,
                float32_gcn=first and fp32_first_gcn)
            for block_in, block_out, stride, first in self.block_shapes(
                in_channels, channels, strides))
        self.edge_importance = nn.ParameterList([
            nn.Parameter(torch.ones_like(adjacency))
            for _ in self.blocks
        ]) if edge_importance_weighting else None
        self.with_cp = with_cp
        # torch.compile keyword arguments, None when off (not named
        # ``self.compile``: that would hide ``nn.Module.compile()``)
        self.compile_cfg: Optional[dict] = (
            dict(compile) if isinstance(compile, dict) else
            ({} if compile else None))
        self._compiled: Optional[Callable] = None

    def can_measure_routes(self) -> bool:
        """Not under ``torch.compile`` or checkpointed training (routes
        there stay as forced or default)."""
        return self.compile_cfg is None and not (
            self.with_cp and self.training)

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

    def forward_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Run the blocks on ``(N*M, C, T, V)``, compiled when asked."""
        if self.compile_cfg is not None:
            return self._compiled_blocks()(x)
        return self._run_blocks(x)

    def adjacencies(self) -> torch.Tensor:
        """``(num_blocks, K, V, V)``: A times each block's edge importance,
        in one product per forward pass."""
        if self.edge_importance is None:
            return self.A.expand(len(self.blocks), *self.A.shape)
        return self.A * torch.stack(list(self.edge_importance))

    def _run_blocks(self, x: torch.Tensor) -> torch.Tensor:
        checkpointing = (self.with_cp and self.training
                         and torch.is_grad_enabled())
        run = (partial(checkpoint_block, block) if checkpointing else block
               for block in self.blocks)
        for index, (block, adjacency) in enumerate(
                zip(run, self.adjacencies())):
            x = self.run_block(index, block, x, adjacency)
        return x

    def _compiled_blocks(self) -> Callable:
        if self._compiled is None:
            self._compiled = torch.compile(self._run_blocks,
                                           **(self.compile_cfg or {}))
        return self._compiled
