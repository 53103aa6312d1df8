"""Matrix helpers of the graphs: hop distances and column normalisation."""
from typing import Sequence, Tuple

import numpy as np


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
