"""Per-joint heat from the learned edge-importance masks of ST-GCN.

Each ST-GCN block multiplies the graph's adjacency ``A`` ``(K, V, V)`` by
a learned mask ``E_b``. How much a joint's connections were strengthened
is read as the weight of the edges touching it, ``|A * E_b|`` summed over
partitions, rows and columns, divided by the same sum over ``|A|`` and
averaged over the blocks: 1 means untouched (an untrained mask of ones),
above 1 strengthened, below weakened.
"""
from typing import Optional, Sequence

import numpy as np
import torch
from torch import nn


def joint_importance(adjacency: np.ndarray,
                     masks: Sequence[np.ndarray]) -> np.ndarray:
    """``(V,)`` mean ratio of masked to plain edge weight per joint.

    Args:
        adjacency (np.ndarray): ``(K, V, V)`` graph adjacency.
        masks (sequence of np.ndarray): One ``(K, V, V)`` mask per block.

    Returns:
        np.ndarray: float64 ``(V,)``; 0 for a joint without edges.
    """
    adjacency = np.abs(np.asarray(adjacency, dtype=np.float64))
    if not masks:
        raise ValueError('joint_importance needs at least one mask')

    def strength(weights: np.ndarray) -> np.ndarray:
        total = weights.sum(axis=0)  # over partitions: (V, V)
        return total.sum(axis=0) + total.sum(axis=1)

    plain = strength(adjacency)
    ratios = []
    for mask in masks:
        mask = np.asarray(mask, dtype=np.float64)
        if mask.shape != adjacency.shape:
            raise ValueError(
                f'edge-importance mask of shape {mask.shape} does not '
                f'match the adjacency {adjacency.shape}')
        masked = strength(np.abs(adjacency * mask))
        ratios.append(np.divide(masked, plain, out=np.zeros_like(plain),
                                where=plain > 0))
    return np.mean(ratios, axis=0)


def normalize_heat(values: np.ndarray) -> np.ndarray:
    """Min-max scale to ``[0, 1]``; all equal values give 0.5."""
    values = np.asarray(values, dtype=np.float64)
    low, high = values.min(), values.max()
    if high - low < 1e-12:
        return np.full_like(values, 0.5)
    return (values - low) / (high - low)


def _first_backbone(model: nn.Module) -> Optional[nn.Module]:
    """The first submodule holding ``A`` and ``edge_importance`` masks."""
    for module in model.modules():
        masks = getattr(module, 'edge_importance', None)
        if isinstance(getattr(module, 'A', None), torch.Tensor) and masks:
            return module
    return None


def model_joint_heat(model: nn.Module) -> np.ndarray:
    """Normalised ``(V,)`` joint heat of a trained ST-GCN model.

    Uses the first backbone found (the ``origin`` stream of a two-stream
    model).

    Raises:
        ValueError: The model has no edge-importance masks (built with
            ``edge_importance_weighting=False``).
    """
    backbone = _first_backbone(model)
    if backbone is None:
        raise ValueError(
            f'{type(model).__name__} has no learned edge-importance masks '
            '(a backbone with A and edge_importance); edge-importance heat '
            'needs edge_importance_weighting=True')
    adjacency = backbone.A.detach().cpu().numpy()
    masks = [mask.detach().cpu().numpy() for mask in backbone.edge_importance]
    return normalize_heat(joint_importance(adjacency, masks))
