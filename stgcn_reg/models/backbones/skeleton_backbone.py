"""Base of the skeleton backbones: graph, input BatchNorm, input layout."""
from abc import abstractmethod
from typing import (
    Callable,
    Dict,
    Iterator,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import torch
from mmengine.model import BaseModule
from torch import nn

from stgcn_reg.graphs import Graph
from stgcn_reg.models.layers.float32_region import in_float32
from stgcn_reg.models.routes import (
    DEFAULT_ROUTES,
    architecture_name,
    candidate_routes,
    check_routes,
    choose_routes,
    fill_open_routes,
    route_key,
    unmeasured,
    using_routes,
)
from stgcn_reg.registry import GRAPHS

from .input_checks import check_skeleton_input

DEFAULT_CHANNELS = (64, 64, 64, 64, 128, 128, 128, 256, 256, 256)
DEFAULT_STRIDES = (1, 1, 1, 1, 2, 1, 1, 2, 1, 1)


class SkeletonBackbone(BaseModule):
    """Skeletons ``(N, C, T, V, M)`` in, features ``(N, M, C', T', V)`` out.

    Builds the graph and ``data_bn``, a BatchNorm over ``V*C`` (channel
    index ``v*C + c``, shared by the persons); :meth:`forward` checks the
    input, normalises it, folds the persons into the batch as ``(N*M, C,
    T, V)`` and unfolds the output of :meth:`forward_blocks`, which
    subclasses implement over the blocks they build.

    Args:
        graph_cfg (dict | Graph): The skeleton graph.
        in_channels (int): Channels per joint.
        channels (sequence of int): Output channels of each block.
        strides (sequence of int): Temporal stride of each block.
        channels_last (bool, optional): Hand the blocks ``(N*M, C, T, V)``
            stored as ``(N*M, T, V, C)`` in memory (True) or as is
            (False); None measures which is faster (route
            ``memory_format``). Defaults to False.
        routes (dict, optional): Kernel routes to force, e.g.
            ``dict(weight_grad='onednn')`` (see
            :mod:`stgcn_reg.models.routes`); ``'auto'`` or a route left
            out is measured on first use on CPU, unless
            ``$STGCN_REG_ROUTES`` forces it.
        fp32_first_gcn (bool): The first graph convolution, which reads
            the raw joint coordinates, trains in float32 under autocast
            (``--amp``). In bfloat16 (8 bits of mantissa) the coordinates
            lose the small frame-to-frame motion: the README demo trained
            with it in bf16 reached 90% held-out top-1, with it in
            float32 99.5-100%, every other layer in bf16 (fp32: 99.5%).
            The layer is tiny (3 input channels). Inference keeps it in
            the autocast dtype (the same accuracy there). Defaults to
            True.
        fp32_blocks (int): Leading blocks that also train entirely in
            float32 under autocast (inference keeps them in the autocast
            dtype). Defaults to 0.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 graph_cfg: Union[dict, Graph],
                 in_channels: int,
                 channels: Sequence[int],
                 strides: Sequence[int],
                 channels_last: Optional[bool] = False,
                 routes: Optional[Dict[str, str]] = None,
                 fp32_first_gcn: bool = True,
                 fp32_blocks: int = 0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(channels) != len(strides) or not channels:
            raise ValueError(
                f'{type(self).__name__}: channels and strides must be '
                'non-empty and of equal length, got '
                f'{len(channels)} and {len(strides)}')
        self.graph = (
            graph_cfg if isinstance(graph_cfg, Graph) else
            GRAPHS.build(graph_cfg))
        self.in_channels = in_channels
        self.num_node = self.graph.A.shape[1]
        self.out_channels = channels[-1]
        self.channels_last = channels_last
        self.routes = check_routes(routes or {}, type(self).__name__)
        if fp32_blocks < 0:
            raise ValueError(f'{type(self).__name__}: fp32_blocks must be '
                             f'>= 0, got {fp32_blocks}')
        self.fp32_first_gcn = fp32_first_gcn
        self.fp32_blocks = fp32_blocks
        self._route_arch: Optional[str] = None
        self.data_bn = nn.BatchNorm1d(in_channels * self.num_node)

    @staticmethod
    def block_shapes(in_channels: int, channels: Sequence[int],
                     strides: Sequence[int]
                     ) -> Iterator[Tuple[int, int, int, bool]]:
        """``(in, out, stride, first)`` of each block, chained in order."""
        block_in = in_channels
        for index, (block_out, stride) in enumerate(zip(channels, strides)):
            yield block_in, block_out, stride, index == 0
            block_in = block_out

    def graph_adjacency(self) -> torch.Tensor:
        """The graph's ``(K, V, V)`` partitioned adjacency as float32."""
        return torch.tensor(self.graph.A, dtype=torch.float32)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map skeletons ``(N, C, T, V, M)`` to ``(N, M, C_out, T_out, V)``."""
        check_skeleton_input(x, self.in_channels, self.num_node,
                             self.graph.layout.name, type(self).__name__)
        n, m = x.shape[0], x.shape[-1]
        routes = self.routes_for(x)
        with using_routes(routes):
            x = self.forward_blocks(self.embed_input(
                x, routes['memory_format'] == 'channels_last'))
        return x.view(n, m, *x.shape[1:])

    def run_block(self, index: int, block: Callable, x: torch.Tensor,
                  *args: torch.Tensor) -> torch.Tensor:
        """``block(x, *args)``, with autocast off and float32 inputs for
        the first :attr:`fp32_blocks` blocks in training."""
        if index >= self.fp32_blocks or not self.training:
            return block(x, *args)
        return in_float32(block, x, *args)

    def forced_routes(self) -> Dict[str, str]:
        """Routes fixed by ``channels_last``, the config's ``routes`` and
        ``$STGCN_REG_ROUTES`` (see :func:`fill_open_routes`); the rest
        are ``'auto'``."""
        forced = dict.fromkeys(DEFAULT_ROUTES, 'auto')
        if self.channels_last is not None:
            forced['memory_format'] = (
                'channels_last' if self.channels_last else 'contiguous')
        forced.update(self.routes)
        return fill_open_routes(forced)

    def can_measure_routes(self) -> bool:
        """Whether timing candidate routes here is meaningful and safe:
        only in subclasses whose layers take the routes."""
        return False

    def routes_for(self, x: torch.Tensor) -> Dict[str, str]:
        """The routes of this forward pass: forced, else measured once
        for this input shape, dtype and thread count (CPU only)."""
        forced = self.forced_routes()
        training = self.training and torch.is_grad_enabled()
        candidates = candidate_routes(training, forced)
        if (x.device.type != 'cpu' or not self.can_measure_routes()
                or torch.jit.is_tracing() or torch.compiler.is_compiling()):
            # nothing is timed here, per layer neither
            return unmeasured(candidates[0])
        if len(candidates) == 1:
            return candidates[0]
        if self._route_arch is None:  # parameter shapes never change
            self._route_arch = architecture_name(self)
        return choose_routes(
            route_key(self._route_arch, x, training, forced), candidates,
            lambda routes: self._time_routes(x, routes, training))

    def _time_routes(self, x: torch.Tensor, routes: Dict[str, str],
                     training: bool) -> None:
        """One pass on ``routes`` (forward, and backward in training)
        that leaves buffers, gradients and random state as they were."""
        buffers = [(buf, buf.clone()) for buf in self.buffers()]
        params = [p for p in self.parameters() if p.requires_grad]
        with torch.random.fork_rng(devices=[]), using_routes(routes):
            out = self.forward_blocks(self.embed_input(
                x, routes['memory_format'] == 'channels_last'))
            if training and params:
                torch.autograd.grad(out.float().sum(), params,
                                    allow_unused=True)
        with torch.no_grad():
            for buf, saved in buffers:
                buf.copy_(saved)

    def embed_input(self, x: torch.Tensor,
                    channels_last: bool = False) -> torch.Tensor:
        """``data_bn`` of the input, persons folded: ``(N*M, C, T, V)``."""
        n, c, t, v, m = x.shape
        # (N, M, V, C, T): BatchNorm over V*C with channel index v*C + c
        x = x.permute(0, 4, 3, 1, 2).reshape(n * m, v * c, t)
        x = self.data_bn(x).view(n, m, v, c, t)
        if channels_last:  # (N*M, T, V, C) in memory
            x = x.permute(0, 1, 4, 2, 3).contiguous().view(n * m, t, v, c)
            return x.permute(0, 3, 1, 2)
        return x.permute(0, 1, 3, 4, 2).reshape(n * m, c, t, v)

    @abstractmethod
    def forward_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Run the blocks on ``(N*M, C, T, V)``."""
