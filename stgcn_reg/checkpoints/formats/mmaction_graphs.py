"""The skeleton graphs in MMAction2/PYSKL ST-GCN files, checked against
our layouts."""
from typing import List, Mapping, Optional, Sequence, Tuple

import torch

from stgcn_reg.checkpoints.errors import MMActionCheckpointMismatchError
from stgcn_reg.graphs import LAYOUTS, Graph

# layouts MMAction2's Graph knows by name (others go as a custom dict)
MMACTION_LAYOUTS = ('openpose', 'nturgb+d', 'coco')


def matching_layouts(adjacency: torch.Tensor) -> List[str]:
    """Built-in layouts whose ``spatial`` graph equals ``adjacency``.

    ``adjacency`` is ``(K, V, V)`` with ``K = 2 * max_hop + 1``, as
    MMAction2's ``stgcn_spatial`` mode and our ``spatial`` strategy build
    it (both measure the distance to the centre only up to ``max_hop``).
    """
    if adjacency.dim() != 3 or adjacency.shape[0] % 2 == 0:
        return []
    max_hop = (adjacency.shape[0] - 1) // 2
    found = []
    for name, layout in LAYOUTS.items():
        if layout.num_node != adjacency.shape[1]:
            continue
        graph = torch.as_tensor(Graph(name, 'spatial', max_hop=max_hop).A)
        if torch.allclose(adjacency.float().cpu(), graph, rtol=0, atol=1e-6):
            found.append(name)
    return found


def describe_graph(adjacency: torch.Tensor) -> str:
    """A short name of a graph for messages: the layout or its shape."""
    names = matching_layouts(adjacency)
    shape = tuple(adjacency.shape)
    if names:
        return f'layout {names[0]!r} (spatial, max_hop={(shape[0] - 1) // 2})'
    return f'no built-in layout (shape {shape})'


def check_layout(adjacency: torch.Tensor, layout: Optional[str],
                 where: str) -> str:
    """The layout of a graph buffer: ``layout`` when it matches, the one
    built-in layout that matches when ``layout`` is None.

    Raises:
        MMActionCheckpointMismatchError: When the graph is not
            ``layout``'s, or no (or more than one) layout matches.
    """
    found = matching_layouts(adjacency)
    shape = tuple(adjacency.shape)
    if layout is not None:
        if layout in found:
            return layout
        actual = (f'that of layout {found[0]!r}' if found else
                  'no built-in layout\'s')
        raise MMActionCheckpointMismatchError(
            f'the graph in {where} (shape {shape}) is not layout '
            f'{layout!r} (spatial, max_hop={(shape[0] - 1) // 2}) but '
            f'{actual}; weights trained on one graph do not fit another. '
            + (f'Use --layout {found[0]}' if found else
               'Give --config with the graph the weights were trained on'))
    if len(found) != 1:
        raise MMActionCheckpointMismatchError(
            f'the graph in {where} (shape {shape}) matches '
            + (f'the layouts {found}' if found else 'no built-in layout')
            + '; give --layout (or --config with a custom graph)')
    return found[0]


def graph_of_blocks(source: Mapping[str, torch.Tensor],
                    keys: List[str]) -> Tuple[Optional[torch.Tensor],
                                              List[str]]:
    """The one graph the blocks share, or the problems found."""
    present = [key for key in keys if key in source]
    if not present:
        return None, []
    first = source[present[0]]
    differing = [
        key for key in present[1:] if source[key].shape != first.shape
        or not torch.allclose(source[key].float(), first.float(), atol=1e-6)
    ]
    if differing:
        return None, [
            f'{key} differs from {present[0]}: the blocks learnt their own '
            "graphs (gcn_adaptive='init', e.g. ST-GCN++), which STGCN "
            'cannot hold' for key in differing
        ]
    return first, []


def graph_mismatch(theirs: torch.Tensor, ours: torch.Tensor) -> List[str]:
    """The problem of a file graph that is not the model's (or none)."""
    if torch.allclose(theirs.float(), ours.float(), rtol=0, atol=1e-6):
        return []
    return [
        f'the file\'s graph (backbone.gcn.*.gcn.A) is {describe_graph(theirs)}'
        f' but the model\'s is {describe_graph(ours)}; set '
        'model.backbone.graph_cfg to the layout the weights were trained '
        "with (MMAction2's 'nturgb+d' is layout='nturgb+d' here, not "
        "'ntu-rgb+d')"
    ]


def mmaction_graph_cfg(layout: str, max_hop: int = 1,
                       mode: str = 'stgcn_spatial') -> dict:
    """MMAction2's ``graph_cfg`` for one of our layouts and a mode.

    Layouts MMAction2 lacks (e.g. the reference's ``ntu-rgb+d``) are given
    as its custom ``dict(num_node, inward, center)``; ``max_hop`` only
    where the mode reads it (``stgcn_spatial``).
    """
    value = layout if layout in MMACTION_LAYOUTS else dict(
        num_node=LAYOUTS[layout].num_node,
        inward=[list(edge) for edge in LAYOUTS[layout].edges],
        center=LAYOUTS[layout].center)
    cfg = dict(layout=value, mode=mode)
    if max_hop != 1 and mode == 'stgcn_spatial':
        cfg['max_hop'] = max_hop
    return cfg


def mmaction_mode_of(graph_cfg: Mapping) -> str:
    """MMAction2's mode of our ``Graph`` config: its ``mode``, or
    ``'stgcn_spatial'`` for our ``spatial`` strategy (the same graph).

    Raises:
        MMActionCheckpointMismatchError: Our ``uniform`` and ``distance``
            strategies, which MMAction2 has no mode for.
    """
    if graph_cfg.get('mode'):
        return graph_cfg['mode']
    strategy = graph_cfg.get('strategy') or 'spatial'
    if strategy != 'spatial' or graph_cfg.get('dilation', 1) != 1:
        raise MMActionCheckpointMismatchError(
            f'graph strategy={strategy!r} (dilation='
            f"{graph_cfg.get('dilation', 1)}) has no MMAction2 mode; "
            "MMAction2's Graph has 'spatial', 'stgcn_spatial' "
            "(our strategy='spatial') and 'binary_adj'")
    return 'stgcn_spatial'


def graph_choices(num_partitions: int) -> List[dict]:
    """Our ``Graph`` arguments (besides the layout) that give
    ``num_partitions`` partitions, MMAction2's ST-GCN++ mode first."""
    choices = [dict(mode='spatial'), dict(mode='binary_adj'),
               dict(strategy='uniform')]
    for max_hop in range(1, max(num_partitions, 2)):
        choices += [dict(strategy='spatial', max_hop=max_hop),
                    dict(strategy='distance', max_hop=max_hop)]
    found = []
    for choice in choices:
        graph = Graph('coco', **choice)
        if graph.A.shape[0] == num_partitions:
            found.append({key: value for key, value in choice.items()
                          if (key, value) != ('max_hop', 1)})
    return found


def closest_graph(graphs: Sequence[torch.Tensor],
                  layouts: Sequence[str]) -> Tuple[str, dict]:
    """The layout and ``Graph`` arguments whose adjacency is nearest to
    learned graphs (ST-GCN++), by the squared distance summed over them.

    Learned graphs drift from their start, so the nearest start is a
    guess; it only sets the graph a fine-tuning restarts from, not the
    loaded weights. Ties go to the earlier layout, then to
    :func:`graph_choices`' order.
    """
    shape = tuple(graphs[0].shape)
    best: Optional[Tuple[float, str, dict]] = None
    for name in layouts:
        if LAYOUTS[name].num_node != shape[-1]:
            continue
        for choice in graph_choices(shape[0]):
            start = torch.as_tensor(Graph(name, **choice).A)
            distance = sum(float(((g.float().cpu() - start)**2).sum())
                           for g in graphs)
            if best is None or distance < best[0]:
                best = (distance, name, choice)
    if best is None:
        raise MMActionCheckpointMismatchError(
            f'the learned graphs (shape {shape}) fit no layout of '
            f'{list(layouts)}; give --layout (or --config)')
    return best[1], best[2]


def stgcnpp_layout(graphs: Sequence[torch.Tensor], layout: Optional[str],
                   where: str, mmaction_only: bool = True) -> str:
    """The layout of an ST-GCN++'s learned graphs: ``layout`` when its
    joints fit, else the layout whose start is nearest (MMAction2's own
    layouts only when ``mmaction_only``, else theirs first, then ours).

    Raises:
        MMActionCheckpointMismatchError: ``layout`` has another number of
            joints, or none fits.
    """
    joints = int(graphs[0].shape[-1])
    if layout is not None:
        if LAYOUTS[layout].num_node != joints:
            raise MMActionCheckpointMismatchError(
                f'the learned graphs in {where} join {joints} joints, '
                f'layout {layout!r} has {LAYOUTS[layout].num_node}')
        return layout
    names = list(MMACTION_LAYOUTS) + ([] if mmaction_only else [
        name for name in LAYOUTS if name not in MMACTION_LAYOUTS])
    return closest_graph(graphs, names)[0]
