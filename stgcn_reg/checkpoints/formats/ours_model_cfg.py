"""The model config that our ST-GCN weights (and a checkpoint's meta) give.

Every model config read from weights is made here; the MMAction2 format
renames its keys to ours first.
"""
import ast
import re
from typing import Any, Iterable, List, Mapping, Optional

import torch

from stgcn_reg.checkpoints.errors import CheckpointMismatchError
from stgcn_reg.checkpoints.formats.mmaction_graphs import closest_graph
from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    OUR_GRAPH,
    is_our_stgcnpp,
    learned_graphs,
)
from stgcn_reg.checkpoints.state_dicts import strip_module_prefix
from stgcn_reg.models.backbones.st_gcn import DEFAULT_STRIDES

_BLOCK = 'backbone.blocks.{}.'.format
# backbones whose strides default to DEFAULT_STRIDES
_DEFAULT_STRIDED = ('STGCN', 'STGCNPP')


def num_blocks(keys: Iterable[str]) -> int:
    """The ST-GCN blocks of our keys (the largest block index + 1)."""
    indices = [
        int(match[1]) for match in (
            re.fullmatch(r'backbone\.blocks\.(\d+)\.gcn\.conv\.weight', key)
            for key in keys) if match
    ]
    return max(indices) + 1 if indices else 0


def _tensor(state_dict: Mapping[str, Any], key: str) -> torch.Tensor:
    if key not in state_dict:
        raise CheckpointMismatchError(f'the state dict has no {key}')
    return state_dict[key]


def model_config_from_weights(state_dict: Mapping[str, torch.Tensor],
                              layout: str) -> dict:
    """The ``SkeletonRecognizer`` config that holds our ST-GCN tensors.

    Channels, temporal kernel, edge importance, hops of the (spatial)
    graph and class count are read from the shapes; a classifier only
    when the weights have one. Strides are not stored in weights: a block
    after the first with a residual projection (1x1 conv) is taken to
    halve time, as in the default ST-GCN and MMAction2's default
    (``down_stages == inflate_stages``).

    Args:
        state_dict (Mapping[str, Tensor]): Our keys (``module.`` dropped).
        layout (str): The built-in layout of the graph.

    An ``STGCNPP`` (learned graphs ``backbone.blocks.{i}.gcn.A``) is read
    by :func:`stgcnpp_config_from_weights`.

    Returns:
        dict: ``model`` config with ``STGCN`` or ``STGCNPP`` (and
        ``ClsHead``).
    """
    source = strip_module_prefix(state_dict)
    if is_our_stgcnpp(source):
        return stgcnpp_config_from_weights(source, layout)
    blocks = range(num_blocks(source))
    adjacency = _tensor(source, 'backbone.A')
    graph_cfg = dict(type='Graph', layout=layout, strategy='spatial')
    if adjacency.shape[0] != 3:
        graph_cfg['max_hop'] = (int(adjacency.shape[0]) - 1) // 2
    first = _BLOCK(0)
    cfg = dict(
        type='SkeletonRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=graph_cfg,
            in_channels=int(
                _tensor(source, first + 'gcn.conv.weight').shape[1]),
            channels=[
                int(_tensor(source, _BLOCK(i) + 'tcn.conv.weight').shape[0])
                for i in blocks
            ],
            strides=_strides(source, blocks),
            temporal_kernel_size=int(
                _tensor(source, first + 'tcn.conv.weight').shape[2]),
            edge_importance_weighting='backbone.edge_importance.0' in source))
    return _with_head(cfg, source)


def _with_head(cfg: dict, source: Mapping[str, Any]) -> dict:
    """``cfg`` with the ``ClsHead`` of the weights, when they have one."""
    head = source.get('cls_head.fc.weight')
    if torch.is_tensor(head):
        cfg['cls_head'] = dict(type='ClsHead', num_classes=int(head.shape[0]),
                               in_channels=int(head.shape[1]))
    return cfg


def _strides(source: Mapping[str, Any], blocks: range) -> List[int]:
    """2 where a block after the first has a residual projection."""
    return [
        2 if i > 0 and (_BLOCK(i) + 'residual.conv.weight' in source
                        or _BLOCK(i) + 'residual.0.weight' in source) else 1
        for i in blocks
    ]


def stgcnpp_config_from_weights(state_dict: Mapping[str, torch.Tensor],
                                layout: str) -> dict:
    """The ``SkeletonRecognizer`` config that holds our ``STGCNPP`` tensors.

    Channels and class count come from the shapes, strides as in
    :func:`model_config_from_weights`. The graph the learned adjacencies
    started from is not stored: the ``layout``'s graph nearest to them is
    taken (:func:`~.mmaction_graphs.closest_graph`; MMAction2's
    ``mode='spatial'`` for ST-GCN++ weights).
    """
    source = strip_module_prefix(state_dict)
    blocks = range(num_blocks(source))
    graphs = learned_graphs(source, OUR_GRAPH)
    if len(graphs) != len(blocks):
        raise CheckpointMismatchError(
            f'the STGCNPP state dict has {len(blocks)} blocks but graphs '
            f'backbone.blocks.{{i}}.gcn.A for {len(graphs)}')
    _, choice = closest_graph(graphs, [layout])
    first = _BLOCK(0)
    cfg = dict(
        type='SkeletonRecognizer',
        backbone=dict(
            type='STGCNPP',
            graph_cfg=dict(type='Graph', layout=layout, **choice),
            in_channels=int(
                _tensor(source, first + 'gcn.conv.weight').shape[1]),
            channels=[
                int(_tensor(source, _BLOCK(i) + 'tcn.bn.weight').shape[0])
                for i in blocks
            ],
            strides=_strides(source, blocks)))
    return _with_head(cfg, source)


def strides_in_meta(checkpoint: Any) -> Optional[List[int]]:
    """The backbone strides a checkpoint's ``meta`` names, if any.

    Our Runner's checkpoints keep the config text as ``meta['cfg']``; it
    is parsed (never run) for ``model = dict(backbone=dict(strides=...))``.
    A converted checkpoint keeps ``meta['model_cfg']``.
    """
    meta = checkpoint.get('meta') if isinstance(checkpoint, Mapping) else None
    if not isinstance(meta, Mapping):
        return None
    model_cfg = meta.get('model_cfg')
    if isinstance(model_cfg, Mapping):
        backbone = model_cfg.get('backbone', {})
        strides = backbone.get('strides')
        if strides is None and backbone.get('type') in _DEFAULT_STRIDED:
            strides = DEFAULT_STRIDES
        return [int(s) for s in strides] if strides is not None else None
    text = meta.get('cfg')
    if not isinstance(text, str):
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], 'id', None) == 'model'):
            return _strides_in_call(node.value)
    return None


def _strides_in_call(node: ast.AST) -> Optional[List[int]]:
    """``strides`` of the ``backbone=dict(...)`` in a ``dict(...)`` call
    (the default ones for an ``STGCN`` that names none)."""
    if not isinstance(node, ast.Call):
        return None
    for keyword in node.keywords:
        if keyword.arg != 'backbone' or not isinstance(keyword.value,
                                                         ast.Call):
            continue
        values = {item.arg: item.value for item in keyword.value.keywords}
        try:
            if 'strides' in values:
                return [int(s) for s in ast.literal_eval(values['strides'])]
            if ast.literal_eval(values.get('type')) in _DEFAULT_STRIDED:
                return list(DEFAULT_STRIDES)
        except (ValueError, TypeError, SyntaxError):
            return None
    return None
