"""Skeleton graph layouts, partition strategies and MMAction2's modes."""
from .graph import (
    MODES,
    STRATEGIES,
    Graph,
    hop_distance,
    normalize_columns,
)
from .layouts import (
    LAYOUTS,
    TOOLS,
    Layout,
    bone_parents,
    get_layout,
    layout_by_alias,
    tool_layouts,
)

__all__ = [
    'Graph', 'LAYOUTS', 'Layout', 'MODES', 'STRATEGIES', 'TOOLS',
    'bone_parents', 'get_layout', 'hop_distance', 'layout_by_alias',
    'normalize_columns', 'tool_layouts'
]
