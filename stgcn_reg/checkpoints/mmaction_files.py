"""Read and write MMAction2 1.x / PYSKL ST-GCN checkpoint files.

The key mapping and its checks live in
:mod:`stgcn_reg.checkpoints.mmaction_stgcn`; this module handles the
files for ``tools/convert_mmaction_checkpoint.py`` (both directions) and
for ``--load-from`` / ``tools/test.py`` given an MMAction2 file.
"""
import ast
import os.path as osp
from collections import OrderedDict
from typing import Any, List, Mapping, Optional

import torch
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope

from stgcn_reg.checkpoints import (
    MMActionCheckpointMismatchError,
    convert_mmaction_state_dict,
    infer_stgcn_model_cfg,
    is_mmaction_stgcn_state_dict,
    matching_layouts,
    mmaction_graph_cfg,
    strip_module_prefix,
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.mmaction_stgcn import head_format_of
from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.models.backbones.st_gcn import DEFAULT_STRIDES
from stgcn_reg.registry import MODELS
from stgcn_reg.utils import atomic_path
from stgcn_reg.utils.download import is_url

SOURCE_FORMATS = dict(mmaction='MMAction2 ST-GCN', pyskl='PYSKL ST-GCN')


def mmaction_state_dict_of(obj: Any) -> Optional[Mapping[str, Any]]:
    """The ST-GCN state dict in a loaded MMAction2/PYSKL file, or None.

    Accepts an mmengine/mmcv checkpoint (``state_dict`` + ``meta``) or a
    bare state dict.
    """
    if isinstance(obj, Mapping) and isinstance(obj.get('state_dict'),
                                               Mapping):
        obj = obj['state_dict']
    return obj if is_mmaction_stgcn_state_dict(obj) else None


def load_mmaction_state_dict(filename: str,
                             trusted: bool = False) -> Optional[Mapping]:
    """The MMAction2/PYSKL ST-GCN state dict in ``filename``, or None if
    it holds another kind of checkpoint (loaded safely, on the CPU)."""
    obj = load_checkpoint_file(filename, map_location='cpu', trusted=trusted)
    return mmaction_state_dict_of(obj)


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


def _where(source: str) -> str:
    """A URL as it is, a file as its absolute path (for ``meta``)."""
    return source if is_url(source) else osp.abspath(source)


def _build_model(model_cfg: Mapping) -> torch.nn.Module:
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        return MODELS.build(ConfigDict(model_cfg))


def convert_mmaction_checkpoint(state_dict: Mapping[str, torch.Tensor],
                                source: str,
                                out_file: str,
                                model_cfg: Optional[Mapping] = None,
                                layout: Optional[str] = None,
                                skip_mismatched_head: bool = False) -> dict:
    """Convert an MMAction2/PYSKL state dict to ours and save it atomically.

    Args:
        state_dict (Mapping[str, Tensor]): Their tensors.
        source (str): Where they came from (kept in ``meta``).
        out_file (str): The checkpoint to write.
        model_cfg (Mapping, optional): Our target model (``cfg.model``).
            Defaults to None: the model is inferred from the shapes (see
            :func:`infer_stgcn_model_cfg`) with the graph's layout.
        layout (str, optional): Expected layout of the file's graph;
            detected when None. With ``model_cfg`` it replaces the
            config's layout.
        skip_mismatched_head (bool): Leave out a classifier of another
            class count. Defaults to False.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``; ``meta``
        holds ``model_cfg`` and the ``layout``.

    Raises:
        MMActionCheckpointMismatchError: The file does not fit (keys,
            shapes, graph); nothing is written then.
    """
    source_dict = strip_module_prefix(state_dict)
    graph = source_dict.get('backbone.gcn.0.gcn.A')
    if model_cfg is None:
        if not torch.is_tensor(graph):
            raise MMActionCheckpointMismatchError(
                f'{source}: no graph buffer backbone.gcn.0.gcn.A to find '
                'the layout from; give --config')
        layout = check_layout(graph, layout, source)
        model_cfg = infer_stgcn_model_cfg(source_dict, layout)
    else:
        model_cfg = ConfigDict(model_cfg).to_dict()
        if layout is not None:
            model_cfg['backbone']['graph_cfg']['layout'] = layout
        if torch.is_tensor(graph) and layout is not None:
            check_layout(graph, layout, source)
    model = _build_model(model_cfg)
    converted = convert_mmaction_state_dict(source_dict, model,
                                            skip_mismatched_head)
    checkpoint = dict(
        state_dict=OrderedDict(converted),
        meta=dict(
            converted_from=_where(source),
            source_format=SOURCE_FORMATS[head_format_of(source_dict)],
            model_type=type(model).__name__,
            model_cfg=model_cfg,
            layout=model.backbone.graph.layout.name,
            not_converted=[
                key for key in model.state_dict() if key not in converted
            ]))
    with atomic_path(out_file) as temp:
        torch.save(checkpoint, temp)
    return checkpoint


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
        if strides is None and backbone.get('type') == 'STGCN':
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
            if ast.literal_eval(values.get('type')) == 'STGCN':
                return list(DEFAULT_STRIDES)
        except (ValueError, TypeError, SyntaxError):
            return None
    return None


def _num_blocks(state_dict: Mapping[str, Any]) -> int:
    return sum(
        key.startswith('backbone.blocks.') and key.endswith('.tcn.conv.weight')
        for key in state_dict)


def _mmaction_model_cfg(state_dict: Mapping[str, torch.Tensor], layout: str,
                        num_partitions: int,
                        strides: Optional[List[int]] = None) -> dict:
    """A suggested MMAction2 ``RecognizerGCN`` config for our state dict.

    ``strides`` come from the checkpoint's config when it has one;
    otherwise time is taken to halve where a block has a residual
    projection, as in the default ST-GCN.
    """
    num_blocks = _num_blocks(state_dict)
    channels = [
        int(state_dict[f'backbone.blocks.{i}.tcn.conv.weight'].shape[0])
        for i in range(num_blocks)
    ]
    # MMAction2 stage i + 1 is our block i (stage 1 the residual-free stem)
    inflate = [i + 1 for i in range(1, num_blocks)
               if channels[i] != channels[i - 1]]
    ratios = {channels[i - 1] / channels[i - 2] for i in inflate}
    backbone = dict(
        type='STGCN',
        graph_cfg=mmaction_graph_cfg(layout, (num_partitions - 1) // 2),
        in_channels=int(
            state_dict['backbone.blocks.0.gcn.conv.weight'].shape[1]),
        base_channels=channels[0],
        num_stages=num_blocks,
        inflate_stages=inflate,
        down_stages=[
            i + 1 for i in range(1, num_blocks)
            if (strides[i] != 1 if strides else
                f'backbone.blocks.{i}.residual.conv.weight' in state_dict)
        ])
    if len(ratios) == 1:
        ratio = ratios.pop()
        backbone['ch_ratio'] = int(ratio) if ratio.is_integer() else ratio
    cfg = dict(type='RecognizerGCN', backbone=backbone)
    head = state_dict.get('cls_head.fc.weight')
    if torch.is_tensor(head):
        cfg['cls_head'] = dict(
            type='GCNHead',
            num_classes=int(head.shape[0]),
            in_channels=int(head.shape[1]))
    return cfg


def export_mmaction_checkpoint(checkpoint: Any,
                               source: str,
                               out_file: str,
                               layout: Optional[str] = None,
                               head_format: str = 'mmaction') -> dict:
    """Write one of our ST-GCN checkpoints for MMAction2 (or PYSKL).

    Args:
        checkpoint: Our checkpoint (``dict(state_dict=...)``) or a bare
            state dict.
        source (str): Where it came from (kept in ``meta``).
        out_file (str): The mmengine checkpoint to write.
        layout (str, optional): Expected layout of the checkpoint's
            graph; detected when None.
        head_format (str): ``'mmaction'`` (``cls_head.fc``) or ``'pyskl'``
            (``cls_head.fc_cls``). Defaults to ``'mmaction'``.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``; ``meta`` holds
        a suggested MMAction2 ``model_cfg`` (graph included).

    Raises:
        MMActionCheckpointMismatchError: Not an ST-GCN checkpoint of
            ours, a graph that is not ``layout``'s, or keys with no
            MMAction2 equivalent; nothing is written then.
    """
    state_dict = checkpoint
    if isinstance(checkpoint, Mapping) and isinstance(
            checkpoint.get('state_dict'), Mapping):
        state_dict = checkpoint['state_dict']
    if not isinstance(state_dict, Mapping) or not torch.is_tensor(
            strip_module_prefix(state_dict).get('backbone.A')):
        raise MMActionCheckpointMismatchError(
            f'{source} is not an ST-GCN checkpoint of this framework (no '
            'backbone.A graph buffer)')
    state_dict = strip_module_prefix(state_dict)
    graph = state_dict['backbone.A']
    layout = check_layout(graph, layout, source)
    converted = to_mmaction_state_dict(state_dict, head_format)
    strides = strides_in_meta(checkpoint)
    if strides is not None and len(strides) != _num_blocks(state_dict):
        strides = None
    result = dict(
        state_dict=converted,
        meta=dict(
            converted_from=_where(source),
            source_format='stgcn_reg ST-GCN',
            layout=layout,
            strides_known=strides is not None,
            model_cfg=_mmaction_model_cfg(state_dict, layout,
                                          int(graph.shape[0]), strides)))
    with atomic_path(out_file) as temp:
        torch.save(result, temp)
    return result
