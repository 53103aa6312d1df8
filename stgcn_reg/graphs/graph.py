"""Skeleton graph: partitioned, normalised adjacency of a layout."""
from typing import Optional, Sequence

import numpy as np

from stgcn_reg.registry import GRAPHS

from .adjacency import hop_distance, normalize_columns
from .layouts import Layout, get_layout
from .mmaction_modes import (
    MODES,
    binary_adjacency,
    check_mode,
    identity_inward_outward,
)

STRATEGIES = ('uniform', 'distance', 'spatial')
__all__ = ['Graph', 'MODES', 'STRATEGIES', 'hop_distance',
           'normalize_columns']


@GRAPHS.register_module()
class Graph:
    """Spatial graph of a skeleton layout as in ST-GCN (Yan et al., 2018).

    The adjacency ``A`` of shape ``(K, V, V)`` holds one matrix per
    partition; entry ``A[k, j, i]`` weighs joint ``j`` when aggregating
    into joint ``i``. It is built either by one of our partition
    ``strategy`` names or by one of MMAction2's / PYSKL's ``mode`` names
    (never both).

    By default the ``spatial`` strategy reproduces the reference code: the
    distance of each joint to the centre is measured only up to ``max_hop``,
    so two joints beyond it both sit at infinite distance, compare equal,
    and their bone lands in the first neighbour partition. Trained weights
    depend on this. ``exact_center_distance=True`` measures the true hop
    distance to the centre instead (the paper's intended split).

    ``mode`` gives exactly MMAction2 1.2.0's ``Graph(layout, mode).A``:
    ``'spatial'`` (identity, inward, outward: the graph ST-GCN++ starts
    its learned adjacency from), ``'stgcn_spatial'`` (the same as our
    ``strategy='spatial'``) or ``'binary_adj'`` (one 0/1 matrix). Only
    ``'stgcn_spatial'`` reads ``max_hop``, as there.

    Args:
        layout (str, optional): Built-in layout name or alias
            (``openpose``, ``ntu-rgb+d`` alias ``ntu25_chained_hands``,
            ``nturgb+d`` alias ``ntu25_forked_hands`` (MMAction2's NTU
            hands), ``ntu_edge``, ``coco``; see
            :data:`~stgcn_reg.graphs.LAYOUTS`). Leave ``None`` and give
            ``num_node``, ``edges`` and ``center`` for a custom layout.
        strategy (str, optional): ``uniform``, ``distance`` or ``spatial``.
            Defaults to ``'spatial'`` when no ``mode`` is given.
        max_hop (int): Largest neighbour distance. Defaults to 1.
        dilation (int): Step between the hops used (strategies only).
            Defaults to 1.
        num_node (int, optional): Joint count of a custom layout.
        edges (sequence, optional): 0-based bones of a custom layout,
            ``(child, parent)`` as MMAction2's ``inward`` pairs.
        center (int, optional): 0-based centre joint of a custom layout.
        exact_center_distance (bool): Use unbounded hop distance to the
            centre in the ``spatial`` strategy. Defaults to False.
        mode (str, optional): MMAction2's graph mode instead of a
            strategy: ``spatial``, ``stgcn_spatial`` or ``binary_adj``.

    Examples:
        >>> Graph('ntu-rgb+d', 'spatial').A.shape
        (3, 25, 25)
        >>> Graph('nturgb+d', mode='spatial').A[0].trace()
        25.0
    """

    def __init__(self,
                 layout: Optional[str] = 'openpose',
                 strategy: Optional[str] = None,
                 max_hop: int = 1,
                 dilation: int = 1,
                 num_node: Optional[int] = None,
                 edges: Optional[Sequence[Sequence[int]]] = None,
                 center: Optional[int] = None,
                 exact_center_distance: bool = False,
                 mode: Optional[str] = None) -> None:
        self.layout = self._resolve_layout(layout, num_node, edges, center)
        self._check_choice(strategy, mode, dilation, exact_center_distance)
        if max_hop < 1 or dilation < 1:
            raise ValueError('graph max_hop and dilation must be >= 1, got '
                             f'max_hop={max_hop}, dilation={dilation}')
        self.mode = mode
        self.strategy = None if mode else (strategy or 'spatial')
        self.max_hop = max_hop
        self.dilation = dilation
        self.exact_center_distance = exact_center_distance
        self.num_node = self.layout.num_node
        self.center = self.layout.center
        self.edges = self.layout.edges
        self.hop_dis = hop_distance(self.num_node, self.edges, max_hop)
        self.A = self._adjacency().astype(np.float32)

    @staticmethod
    def _check_choice(strategy: Optional[str], mode: Optional[str],
                      dilation: int, exact_center_distance: bool) -> None:
        """Raise unless exactly one known strategy or mode is chosen."""
        if mode is None:
            if strategy is not None and strategy not in STRATEGIES:
                raise ValueError(f'graph strategy must be one of '
                                 f'{STRATEGIES}, got {strategy!r}')
            return
        if strategy is not None:
            raise ValueError(
                f'graph: give strategy= (ours: {STRATEGIES}) or mode= '
                f"(MMAction2's: {MODES}), not both; got "
                f'strategy={strategy!r}, mode={mode!r}')
        check_mode(mode)
        if dilation != 1 or exact_center_distance:
            raise ValueError(
                f'graph mode={mode!r}: dilation and exact_center_distance '
                'are strategy options, which MMAction2\'s modes lack; got '
                f'dilation={dilation}, '
                f'exact_center_distance={exact_center_distance}')

    @staticmethod
    def _resolve_layout(layout: Optional[str], num_node: Optional[int],
                        edges: Optional[Sequence[Sequence[int]]],
                        center: Optional[int]) -> Layout:
        custom = (num_node, edges, center)
        if layout is not None and any(value is not None for value in custom):
            raise ValueError(
                f'graph: give either layout={layout!r} or a custom '
                'num_node/edges/center, not both')
        if layout is not None:
            return get_layout(layout)
        if any(value is None for value in custom):
            raise ValueError(
                'graph: a custom layout needs num_node, edges and center '
                f'(got num_node={num_node}, edges={edges}, center={center})')
        return Layout('custom', int(num_node),
                      tuple((int(i), int(j)) for i, j in edges), int(center))

    def _adjacency(self) -> np.ndarray:
        """``(K, V, V)`` of the chosen mode or strategy, in float64."""
        if self.mode == 'spatial':
            return identity_inward_outward(self.num_node, self.edges)
        if self.mode == 'binary_adj':
            return binary_adjacency(self.num_node, self.edges)
        # MMAction2's 'stgcn_spatial' is our spatial strategy
        valid_hops = range(0, self.max_hop + 1, self.dilation)
        adjacency = np.isin(self.hop_dis, list(valid_hops)).astype(float)
        normalized = normalize_columns(adjacency)
        if self.strategy == 'uniform':
            return normalized[np.newaxis]
        if self.strategy == 'distance':
            return np.stack([
                np.where(self.hop_dis == hop, normalized, 0)
                for hop in valid_hops
            ])
        return self._spatial_partitions(normalized, valid_hops)

    def _spatial_partitions(self, normalized: np.ndarray,
                            valid_hops: range) -> np.ndarray:
        if self.exact_center_distance:
            full = hop_distance(self.num_node, self.edges, self.num_node)
            to_center = full[:, self.center]
        else:
            to_center = self.hop_dis[:, self.center]
        # rows j (source) against columns i (target), as the reference loops
        source = to_center[:, np.newaxis]
        target = to_center[np.newaxis, :]
        partitions = []
        for hop in valid_hops:
            at_hop = self.hop_dis == hop
            root = np.where(at_hop & (source == target), normalized, 0)
            if hop == 0:
                partitions.append(root)
                continue
            # a source farther from the centre than the target: centripetal
            centripetal = np.where(at_hop & (source > target), normalized, 0)
            centrifugal = np.where(at_hop & (source < target), normalized, 0)
            partitions.append(root + centripetal)
            partitions.append(centrifugal)
        return np.stack(partitions)

    def __repr__(self) -> str:
        choice = (f'mode={self.mode!r}' if self.mode else
                  f'strategy={self.strategy!r}')
        return (f'{type(self).__name__}(layout={self.layout.name!r}, '
                f'{choice}, max_hop={self.max_hop}, '
                f'dilation={self.dilation}, A={tuple(self.A.shape)})')
