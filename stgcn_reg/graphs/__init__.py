"""Skeleton graph layouts and partition strategies."""
from .graph import Graph, hop_distance, normalize_columns
from .layouts import LAYOUTS, Layout, get_layout

__all__ = [
    'Graph', 'LAYOUTS', 'Layout', 'get_layout', 'hop_distance',
    'normalize_columns'
]
