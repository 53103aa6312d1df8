"""Convert ST-GCN state dicts of MMAction2 1.x and PYSKL to and from ours.

MMAction2's ``STGCN`` backbone (``graph_cfg=dict(layout=...,
mode='stgcn_spatial')``, ``data_bn_type='VC'``) with a ``GCNHead``
computes the same function as the reference ST-GCN. Its keys, per block
``i``: ``backbone.gcn.{i}.gcn.{A,PA}`` (graph and edge importance, one
copy per block), ``gcn.conv`` (1x1 conv to ``out*K``), ``gcn.bn`` (our
``tcn.bn_in``), ``tcn.conv``, ``tcn.bn`` (our ``tcn.bn_out``) and
``residual.{conv,bn}``; ``backbone.data_bn.*`` (channel index ``v*C + c``,
as ours) and the head ``cls_head.fc.*`` (PYSKL: ``cls_head.fc_cls.*``).

Every key and shape is checked both ways; a file that does not fit is
refused as a whole with the keys named. The other direction (our weights
as MMAction2's, the model config of their file) is in
:mod:`.mmaction_export`.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Tuple

import torch
from torch import nn

from stgcn_reg.checkpoints.original_stgcn import (
    key_listing,
    strip_module_prefix,
)
from stgcn_reg.graphs import LAYOUTS, Graph

# head prefix of each format
HEAD_PREFIXES = OrderedDict(mmaction='cls_head.fc', pyskl='cls_head.fc_cls')
# layouts MMAction2's Graph knows by name (others go as a custom dict)
MMACTION_LAYOUTS = ('openpose', 'nturgb+d', 'coco')
_GRAPH_KEY = 'backbone.A'
# (theirs, ours) in one block; the graph A is handled apart
_BLOCK_RULES: Tuple[Tuple[str, str], ...] = (
    ('gcn.PA', 'edge_importance.{i}'),
    ('gcn.conv.{name}', 'blocks.{i}.gcn.conv.{name}'),
    ('gcn.bn.{name}', 'blocks.{i}.tcn.bn_in.{name}'),
    ('tcn.conv.{name}', 'blocks.{i}.tcn.conv.{name}'),
    ('tcn.bn.{name}', 'blocks.{i}.tcn.bn_out.{name}'),
    ('residual.conv.{name}', 'blocks.{i}.residual.conv.{name}'),
    ('residual.bn.{name}', 'blocks.{i}.residual.bn.{name}'),
)
_OURS = [(re.compile(
    re.escape('backbone.' + ours).replace(r'\{i\}', r'(?P<i>\d+)').replace(
        r'\{name\}', r'(?P<name>[^.]+)')), theirs)
         for theirs, ours in _BLOCK_RULES]
_OURS_HEAD = re.compile(r'cls_head\.fc\.(?P<name>weight|bias)')
_THEIR_BLOCK = re.compile(r'backbone\.gcn\.(\d+)\.gcn\.conv\.weight')


class MMActionCheckpointMismatchError(ValueError):
    """An MMAction2/PYSKL ST-GCN state dict does not fit the target."""


def head_format_of(state_dict: Mapping[str, object]) -> str:
    """``'pyskl'`` when the head is ``cls_head.fc_cls``, else ``'mmaction'``.
    """
    pyskl = HEAD_PREFIXES['pyskl'] + '.'
    return 'pyskl' if any(k.startswith(pyskl) for k in state_dict) else (
        'mmaction')


def is_mmaction_stgcn_state_dict(obj: object) -> bool:
    """Whether ``obj`` is an MMAction2/PYSKL ST-GCN state dict.

    True for a mapping of tensors with keys such as
    ``backbone.gcn.0.gcn.conv.weight`` (with or without ``module.``).
    """
    if not isinstance(obj, Mapping) or not obj:
        return False
    if not all(isinstance(key, str) for key in obj):
        return False
    return any(
        _THEIR_BLOCK.fullmatch(key) and torch.is_tensor(value)
        for key, value in strip_module_prefix(obj).items())


def mmaction_keys_for(model_key: str, num_blocks: int,
                      head_format: str = 'mmaction') -> List[str]:
    """The MMAction2/PYSKL names of a framework key (``[]`` if none).

    The graph ``backbone.A`` is one buffer per block there.

    Examples:
        >>> mmaction_keys_for('backbone.blocks.4.tcn.bn_in.weight', 10)
        ['backbone.gcn.4.gcn.bn.weight']
        >>> mmaction_keys_for('cls_head.fc.bias', 10, 'pyskl')
        ['cls_head.fc_cls.bias']
    """
    if model_key == _GRAPH_KEY:
        return [f'backbone.gcn.{i}.gcn.A' for i in range(num_blocks)]
    if model_key.startswith('backbone.data_bn.'):
        return [model_key]
    head = _OURS_HEAD.fullmatch(model_key)
    if head:
        return [f'{HEAD_PREFIXES[head_format]}.{head["name"]}']
    for pattern, theirs in _OURS:
        match = pattern.fullmatch(model_key)
        if match:
            inner = theirs.format(name=match.groupdict().get('name'))
            return [f'backbone.gcn.{match["i"]}.{inner}']
    return []


def _num_blocks(keys) -> int:
    indices = [
        int(match[1]) for match in (
            re.fullmatch(r'backbone\.blocks\.(\d+)\.gcn\.conv\.weight', key)
            for key in keys) if match
    ]
    return max(indices) + 1 if indices else 0


def _shape(value: object) -> object:
    return tuple(value.shape) if torch.is_tensor(value) else '?'


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


def _graph_of_blocks(source: Mapping[str, torch.Tensor],
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


def convert_mmaction_state_dict(
        state_dict: Mapping[str, torch.Tensor],
        model: nn.Module,
        skip_mismatched_head: bool = False
) -> 'OrderedDict[str, torch.Tensor]':
    """Map an MMAction2/PYSKL ST-GCN state dict onto ``model``, checked.

    Args:
        state_dict (Mapping[str, Tensor]): Their tensors (the
            ``state_dict`` of the checkpoint file).
        model (nn.Module): A ``SkeletonRecognizer`` with an ``STGCN``
            backbone and a ``ClsHead``; only its ``state_dict()`` is read.
        skip_mismatched_head (bool): Leave out a classifier of another
            class count (fine-tuning) instead of refusing.
            Defaults to False.

    Returns:
        OrderedDict[str, Tensor]: The model's keys in its order, ready for
        ``load_state_dict(strict=True)`` (without the classifier when it
        was skipped).

    Raises:
        MMActionCheckpointMismatchError: Naming every missing and
            unexpected key, every shape mismatch and a graph that differs
            from the model's. Nothing is converted then.
    """
    source = strip_module_prefix(state_dict)
    head_format = head_format_of(source)
    target = model.state_dict()
    num_blocks = _num_blocks(target)
    expected: Dict[str, str] = OrderedDict()  # their key -> our key
    unmapped = []
    for key in target:
        theirs = mmaction_keys_for(key, num_blocks, head_format)
        if not theirs:
            unmapped.append(key)
        for their_key in theirs:
            expected[their_key] = key

    converted: OrderedDict[str, torch.Tensor] = OrderedDict()
    missing, mismatched, head_mismatched = [], [], []
    graph, graph_problems = _graph_of_blocks(
        source, mmaction_keys_for(_GRAPH_KEY, num_blocks))
    for theirs, key in expected.items():
        ours = target[key]
        if theirs not in source:
            missing.append(f'{theirs} (model key {key}, shape '
                           f'{tuple(ours.shape)})')
            continue
        value = source[theirs] if key != _GRAPH_KEY else graph
        if value is None:
            continue  # blocks with differing graphs, reported above
        if not torch.is_tensor(value):
            mismatched.append(f'{theirs}: not a tensor but '
                              f'{type(value).__name__}')
        elif value.shape != ours.shape:
            mismatched.append(f'{theirs}: file {tuple(value.shape)} vs '
                              f'model {tuple(ours.shape)} ({key})')
            if key.startswith('cls_head.'):
                head_mismatched.append(mismatched[-1])
        elif key not in converted:
            converted[key] = (
                value.to(ours.dtype) if value.is_floating_point() else value)
    unexpected = [
        f'{key} (shape {_shape(value)})' for key, value in source.items()
        if key not in expected
    ]
    if skip_mismatched_head and head_mismatched:
        mismatched = [m for m in mismatched if m not in head_mismatched]
        for key in [key for key in converted if key.startswith('cls_head.')]:
            del converted[key]
    problems = (
        key_listing('missing from the file', missing) +
        key_listing('unexpected in the file', unexpected) +
        key_listing('shape mismatches', mismatched) +
        key_listing('graphs', graph_problems) +
        key_listing('model tensors with no MMAction2 equivalent', unmapped) +
        key_listing('first block',
                    _residual_problem(source, 'backbone.gcn.0.')))
    hint = _hint(source, target, mismatched, head_mismatched)
    if not problems and _GRAPH_KEY in converted:
        problems = key_listing('graph mismatch', _graph_mismatch(
            converted[_GRAPH_KEY], target[_GRAPH_KEY]))
        hint = 'the weights were trained on another graph than the model\'s'
    if problems:
        raise MMActionCheckpointMismatchError(
            f'the {_FORMAT_NAMES[head_format]} ST-GCN state dict does not '
            f'fit {type(model).__name__}; nothing was loaded.\n  hint: '
            f'{hint}\n' + '\n'.join(problems))
    return converted


_FORMAT_NAMES = dict(mmaction='MMAction2', pyskl='PYSKL')


def _residual_problem(state_dict: Mapping[str, torch.Tensor],
                      prefix: str) -> List[str]:
    """A first block with as many input as output channels: MMAction2
    then gives it a residual (it builds no residual-free stem), ours not,
    so the two compute different functions."""
    conv = state_dict.get(prefix + 'gcn.conv.weight')
    tcn = state_dict.get(prefix + 'tcn.conv.weight')
    if not (torch.is_tensor(conv) and torch.is_tensor(tcn)):
        return []
    if conv.dim() == 4 and tcn.dim() == 4 and conv.shape[1] == tcn.shape[0]:
        return [
            f'the first block takes and gives {tcn.shape[0]} channels: '
            'MMAction2 adds a residual there (in_channels == '
            'base_channels), this STGCN never does'
        ]
    return []


def _graph_mismatch(theirs: torch.Tensor, ours: torch.Tensor) -> List[str]:
    if torch.allclose(theirs.float(), ours.float(), rtol=0, atol=1e-6):
        return []
    return [
        f'the file\'s graph (backbone.gcn.*.gcn.A) is {describe_graph(theirs)}'
        f' but the model\'s is {describe_graph(ours)}; set '
        'model.backbone.graph_cfg to the layout the weights were trained '
        "with (MMAction2's 'nturgb+d' is layout='nturgb+d' here, not "
        "'ntu-rgb+d')"
    ]


def _hint(source: Mapping, target: Mapping, mismatched: List[str],
          head_mismatched: List[str]) -> str:
    if mismatched and mismatched == head_mismatched:
        return ('only the classifier differs (num_classes); to fine-tune '
                'on other classes, tools/train.py --load-from leaves it '
                'out')
    if any('.tcn.branches.' in key or '.gcn.down.' in key for key in source):
        return ('the file is an ST-GCN++ (gcn_with_res, multi-scale '
                "tcn_type='mstcn'), which an STGCN backbone cannot hold")
    data_bn = source.get('backbone.data_bn.weight')
    ours = target.get('backbone.data_bn.weight')
    if (torch.is_tensor(data_bn) and ours is not None
            and data_bn.numel() != ours.numel()
            and data_bn.numel() % ours.numel() == 0):
        return (f'data_bn has {data_bn.numel()} channels, '
                f'{data_bn.numel() // ours.numel()}x the model\'s V*C: '
                "the file uses data_bn_type='MVC' (per person), which "
                'STGCN does not have')
    return ('check the layout (joints), in_channels, channels, strides, '
            'edge_importance_weighting and num_classes of the config')
