"""Skeleton graph: hop distances and partitioned, normalised adjacency."""
from typing import Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.registry import GRAPHS

from .layouts import Layout, get_layout

STRATEGIES = ('uniform', 'distance', 'spatial')


def hop_distance(num_node: int, edges: Sequence[Tuple[int, int]],
                 max_hop: int) -> np.ndarray:
    """Hop count between every pair of joints; ``inf`` beyond ``max_hop``."""
    adjacency = np.zeros((num_node, num_node))
    for i, j in edges:
        adjacency[i, j] = adjacency[j, i] = 1
    distance = np.full((num_node, num_node), np.inf)
    reach = np.eye(num_node)
    for hop in range(max_hop + 1):
        distance[(reach > 0) & np.isinf(distance)] = hop
        reach = reach @ adjacency
    return distance


def normalize_columns(adjacency: np.ndarray) -> np.ndarray:
    """Return ``A · D^-1`` with ``D`` the column-sum degree matrix."""
    degree = adjacency.sum(axis=0)
    inverse = np.zeros_like(degree)
    inverse[degree > 0] = 1.0 / degree[degree > 0]
    return adjacency * inverse[np.newaxis, :]


@GRAPHS.register_module()
class Graph:
    """Spatial graph of a skeleton layout as in ST-GCN (Yan et al., 2018).

    The adjacency ``A`` of shape ``(K, V, V)`` holds one column-normalised
    matrix per partition; entry ``A[k, j, i]`` weighs joint ``j`` when
    aggregating into joint ``i``.

    By default the ``spatial`` partition reproduces the reference code: the
    distance of each joint to the centre is measured only up to ``max_hop``,
    so two joints beyond it both sit at infinite distance, compare equal,
    and their bone lands in the first neighbour partition. Trained weights
    depend on this. ``exact_center_distance=True`` measures the true hop
    distance to the centre instead (the paper's intended split).

    Args:
        layout (str, optional): Built-in layout name or alias
            (``openpose``, ``ntu-rgb+d`` alias ``ntu25_chained_hands``,
            ``nturgb+d`` alias ``ntu25_forked_hands`` (MMAction2's NTU
            hands), ``ntu_edge``, ``coco``; see
            :data:`~stgcn_reg.graphs.LAYOUTS`). Leave ``None`` and give
            ``num_node``, ``edges`` and ``center`` for a custom layout.
        strategy (str): ``uniform``, ``distance`` or ``spatial``.
            Defaults to ``'spatial'``.
        max_hop (int): Largest neighbour distance. Defaults to 1.
        dilation (int): Step between the hops used. Defaults to 1.
        num_node (int, optional): Joint count of a custom layout.
        edges (sequence, optional): 0-based bones of a custom layout.
        center (int, optional): 0-based centre joint of a custom layout.
        exact_center_distance (bool): Use unbounded hop distance to the
            centre in the ``spatial`` split. Defaults to False.

    Examples:
        >>> Graph('ntu-rgb+d', 'spatial').A.shape
        (3, 25, 25)
    """

    def __init__(self,
                 layout: Optional[str] = 'openpose',
                 strategy: str = 'spatial',
                 max_hop: int = 1,
                 dilation: int = 1,
                 num_node: Optional[int] = None,
                 edges: Optional[Sequence[Sequence[int]]] = None,
                 center: Optional[int] = None,
                 exact_center_distance: bool = False) -> None:
        self.layout = self._resolve_layout(layout, num_node, edges, center)
        if strategy not in STRATEGIES:
            raise ValueError(f'graph strategy must be one of {STRATEGIES}, '
                             f'got {strategy!r}')
        if max_hop < 1 or dilation < 1:
            raise ValueError('graph max_hop and dilation must be >= 1, got '
                             f'max_hop={max_hop}, dilation={dilation}')
        self.strategy = strategy
        self.max_hop = max_hop
        self.dilation = dilation
        self.exact_center_distance = exact_center_distance
        self.num_node = self.layout.num_node
        self.center = self.layout.center
        self.edges = self.layout.edges
        self.hop_dis = hop_distance(self.num_node, self.edges, max_hop)
        self.A = self._adjacency().astype(np.float32)

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
        return (f'{type(self).__name__}(layout={self.layout.name!r}, '
                f'strategy={self.strategy!r}, max_hop={self.max_hop}, '
                f'dilation={self.dilation}, A={tuple(self.A.shape)})')
