"""ST-GCN++ backbone (PYSKL, Duan et al. 2022), registered beside ST-GCN."""
from typing import Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.registry import GRAPHS, MODELS

from ..layers import STGCNPPBlock
from .input_checks import check_skeleton_input

DEFAULT_CHANNELS = (64, 64, 64, 64, 128, 128, 128, 256, 256, 256)
DEFAULT_STRIDES = (1, 1, 1, 1, 2, 1, 1, 2, 1, 1)


@MODELS.register_module()
class STGCNPP(BaseModule):
    """ST-GCN++: ST-GCN with learned graphs and multi-scale time.

    The layout of :class:`STGCN` (input BatchNorm over ``V*C``, ten blocks
    of 64, 128 and 256 channels, stride 2 at the 5th and 8th block, no
    shortcut around the first block) with PYSKL's ST-GCN++ block
    (``gcn_adaptive='init'``, ``gcn_with_res=True``, ``tcn_type='mstcn'``):

    - :class:`~stgcn_reg.models.layers.AdaptiveGraphConv`: every block
      learns its own ``(K, V, V)`` adjacency, initialised from the graph
      (no edge-importance mask), with a shortcut inside the unit;
    - :class:`~stgcn_reg.models.layers.MultiScaleTemporalConv`: 3x1 convs
      with dilations 1-4, a max-pool and a 1x1 branch, concatenated.

    The default NTU-60 model has 1,387,724 backbone parameters (1.39M,
    as listed for ST-GCN++ by MMAction2), 1,403,144 with a 60-class
    :class:`ClsHead`. Weights keep PyTorch's default initialisation, as in
    PYSKL.

    Args:
        graph_cfg (dict | Graph): The skeleton graph, e.g.
            ``dict(type='Graph', layout='ntu-rgb+d', strategy='spatial')``.
        in_channels (int): Channels per joint. Defaults to 3.
        channels (sequence of int): Output channels of each block.
            Defaults to 64 x4, 128 x3, 256 x3.
        strides (sequence of int): Temporal stride of each block.
            Defaults to 2 at the 5th and 8th block.
        dropout (float): Dropout in the temporal unit of every block but
            the first. Defaults to 0 (PYSKL's).
        init_cfg (dict, optional): mmengine init config. Defaults to None.

    Returns features of shape ``(N, M, C_out, T_out, V)``.

    Examples:
        >>> backbone = MODELS.build(dict(
        ...     type='STGCNPP',
        ...     graph_cfg=dict(type='Graph', layout='ntu-rgb+d')))
        >>> backbone(torch.zeros(2, 3, 20, 25, 2)).shape
        torch.Size([2, 2, 256, 5, 25])
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int = 3,
                 channels: Sequence[int] = DEFAULT_CHANNELS,
                 strides: Sequence[int] = DEFAULT_STRIDES,
                 dropout: float = 0.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(channels) != len(strides) or not channels:
            raise ValueError(
                'STGCNPP: channels and strides must be non-empty and of '
                f'equal length, got {len(channels)} and {len(strides)}')
        self.graph = (
            graph_cfg if isinstance(graph_cfg, Graph) else
            GRAPHS.build(graph_cfg))
        adjacency = torch.tensor(self.graph.A, dtype=torch.float32)
        self.in_channels = in_channels
        self.num_node = adjacency.shape[1]
        self.out_channels = channels[-1]
        self.data_bn = nn.BatchNorm1d(in_channels * self.num_node)
        blocks = []
        block_in = in_channels
        for index, (block_out, stride) in enumerate(zip(channels, strides)):
            first = index == 0
            blocks.append(
                STGCNPPBlock(
                    block_in,
                    block_out,
                    adjacency,
                    stride=stride,
                    residual=not first,
                    dropout=0.0 if first else dropout))
            block_in = block_out
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map skeletons ``(N, C, T, V, M)`` to ``(N, M, C_out, T_out, V)``."""
        self._check_input(x)
        n, c, t, v, m = x.shape
        # (N, M, V, C, T): BatchNorm over V*C with channel index v*C + c
        x = x.permute(0, 4, 3, 1, 2).reshape(n * m, v * c, t)
        x = self.data_bn(x)
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2)
        x = x.reshape(n * m, c, t, v)
        for block in self.blocks:
            x = block(x)
        return x.view(n, m, *x.shape[1:])

    def _check_input(self, x: torch.Tensor) -> None:
        check_skeleton_input(x, self.in_channels, self.num_node,
                             self.graph.layout.name, 'STGCNPP')
