"""ST-GCN++ backbone (PYSKL, Duan et al. 2022), registered beside ST-GCN."""
from typing import Optional, Sequence, Union

import torch
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.registry import MODELS

from ..layers import STGCNPPBlock
from .skeleton_backbone import (
    DEFAULT_CHANNELS,
    DEFAULT_STRIDES,
    SkeletonBackbone,
)


@MODELS.register_module()
class STGCNPP(SkeletonBackbone):
    """ST-GCN++: ST-GCN with learned graphs and multi-scale time.

    The layout of :class:`STGCN` (input BatchNorm over ``V*C``, ten blocks
    of 64, 128 and 256 channels, stride 2 at the 5th and 8th block, no
    shortcut around the first block) with PYSKL's ST-GCN++ block
    (``gcn_adaptive='init'``, ``gcn_with_res=True``, ``tcn_type='mstcn'``):

    - :class:`~stgcn_reg.models.layers.AdaptiveGraphConv`: every block
      learns its own ``(K, V, V)`` adjacency, initialised from the graph
      (no edge-importance mask), with a shortcut inside the unit. PYSKL's
      and MMAction2's graph is ``dict(type='Graph', layout='nturgb+d',
      mode='spatial')`` (identity, inward, outward);
    - :class:`~stgcn_reg.models.layers.MultiScaleTemporalConv`: 3x1 convs
      with dilations 1-4, a max-pool and a 1x1 branch, concatenated.

    The default NTU-60 model has 1,387,724 backbone parameters (1.39M,
    as listed for ST-GCN++ by MMAction2), 1,403,144 with a 60-class
    :class:`ClsHead`, shaped and ordered as MMAction2's, so its weights
    convert both ways (:mod:`stgcn_reg.checkpoints.formats.mmaction`).
    Weights keep PyTorch's default initialisation, as in PYSKL.

    Args:
        graph_cfg (dict | Graph): The skeleton graph the adjacency
            starts from, e.g. ``dict(type='Graph', layout='nturgb+d',
            mode='spatial')``.
        in_channels (int): Channels per joint. Defaults to 3.
        channels (sequence of int): Output channels of each block.
            Defaults to 64 x4, 128 x3, 256 x3.
        strides (sequence of int): Temporal stride of each block.
            Defaults to 2 at the 5th and 8th block.
        dropout (float): Dropout in the temporal unit of every block but
            the first. Defaults to 0 (PYSKL's).
        fp32_first_gcn (bool): The first graph conv (the raw
            coordinates) trains in float32 under autocast (see
            :class:`SkeletonBackbone`). Defaults to True.
        fp32_blocks (int): Leading blocks trained in float32 under autocast
            (see :class:`SkeletonBackbone`). Defaults to 0.
        init_cfg (dict, optional): mmengine init config. Defaults to None.

    Returns features of shape ``(N, M, C_out, T_out, V)``.

    Examples:
        >>> backbone = MODELS.build(dict(
        ...     type='STGCNPP',
        ...     graph_cfg=dict(type='Graph', layout='nturgb+d',
        ...                    mode='spatial')))
        >>> backbone(torch.zeros(2, 3, 20, 25, 2)).shape
        torch.Size([2, 2, 256, 5, 25])
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int = 3,
                 channels: Sequence[int] = DEFAULT_CHANNELS,
                 strides: Sequence[int] = DEFAULT_STRIDES,
                 dropout: float = 0.0,
                 fp32_first_gcn: bool = True,
                 fp32_blocks: int = 0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(graph_cfg, in_channels, channels, strides,
                         fp32_first_gcn=fp32_first_gcn,
                         fp32_blocks=fp32_blocks, init_cfg=init_cfg)
        adjacency = self.graph_adjacency()
        self.blocks = nn.ModuleList(
            STGCNPPBlock(
                block_in,
                block_out,
                adjacency,
                stride=stride,
                residual=not first,
                dropout=0.0 if first else dropout,
                float32_gcn=first and fp32_first_gcn)
            for block_in, block_out, stride, first in self.block_shapes(
                in_channels, channels, strides))

    def forward_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Run the blocks on ``(N*M, C, T, V)``."""
        for index, block in enumerate(self.blocks):
            x = self.run_block(index, block, x)
        return x
