"""The adjacency of MMAction2's / PYSKL's graph modes, from our layouts.

MMAction2 1.2.0's ``Graph(layout, mode)`` (and PYSKL's) names three
modes. Each is rebuilt here from a layout's bones, read as MMAction2's
``inward`` pairs ``(child, parent)`` (our layouts list them in that
order):

- ``'spatial'``: ST-GCN++'s three partitions: the identity, the inward
  and the outward bones, each column-normalised;
- ``'stgcn_spatial'``: the original ST-GCN spatial partition (our
  ``strategy='spatial'``, with its ``max_hop`` quirk);
- ``'binary_adj'``: one 0/1 matrix of the bones both ways, no self-loops.

Entry ``A[k, j, i]`` weighs joint ``j`` when aggregating into joint ``i``,
as everywhere here.
"""
from typing import Sequence, Tuple

import numpy as np

from .adjacency import normalize_columns

MODES = ('spatial', 'stgcn_spatial', 'binary_adj')


def bone_matrix(num_node: int, edges: Sequence[Tuple[int, int]]
                ) -> np.ndarray:
    """``M[j, i] = 1`` for every bone ``(i, j)``: ``i`` feeds ``j``'s
    column, as MMAction2 writes its edge lists."""
    matrix = np.zeros((num_node, num_node))
    for i, j in edges:
        matrix[j, i] = 1
    return matrix


def identity_inward_outward(num_node: int,
                            edges: Sequence[Tuple[int, int]]) -> np.ndarray:
    """MMAction2's ``'spatial'`` mode: identity, inward, outward
    (``(3, V, V)``), the bone partitions column-normalised."""
    outward = [(j, i) for i, j in edges]
    return np.stack((np.eye(num_node),
                     normalize_columns(bone_matrix(num_node, edges)),
                     normalize_columns(bone_matrix(num_node, outward))))


def binary_adjacency(num_node: int,
                     edges: Sequence[Tuple[int, int]]) -> np.ndarray:
    """MMAction2's ``'binary_adj'`` mode: the undirected bones as one
    unnormalised 0/1 partition (``(1, V, V)``)."""
    both_ways = list(edges) + [(j, i) for i, j in edges]
    return bone_matrix(num_node, both_ways)[np.newaxis]


def check_mode(mode: str) -> None:
    """Raise a one-line error for a mode MMAction2 1.2.0's Graph lacks."""
    if mode not in MODES:
        raise ValueError(f'graph mode must be one of MMAction2\'s {MODES}, '
                         f'got {mode!r}')
