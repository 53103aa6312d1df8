"""Our ST-GCN weights in MMAction2/PYSKL form, and the model config that
holds an MMAction2/PYSKL state dict (the other direction of
:mod:`.mmaction_stgcn`)."""
import re
from collections import OrderedDict
from typing import Mapping, Tuple

import torch

from stgcn_reg.checkpoints.mmaction_stgcn import (
    _FORMAT_NAMES,
    _GRAPH_KEY,
    _THEIR_BLOCK,
    HEAD_PREFIXES,
    MMACTION_LAYOUTS,
    MMActionCheckpointMismatchError,
    _num_blocks,
    _residual_problem,
    _shape,
    head_format_of,
    mmaction_keys_for,
)
from stgcn_reg.checkpoints.original_stgcn import (
    key_listing,
    strip_module_prefix,
)
from stgcn_reg.graphs import LAYOUTS


def to_mmaction_state_dict(
        state_dict: Mapping[str, torch.Tensor],
        head_format: str = 'mmaction') -> 'OrderedDict[str, torch.Tensor]':
    """Map this framework's ST-GCN state dict to MMAction2's or PYSKL's keys.

    Args:
        state_dict (Mapping[str, Tensor]): A ``SkeletonRecognizer`` with an
            ``STGCN`` backbone and a ``ClsHead`` (``module.`` is dropped).
        head_format (str): ``'mmaction'`` (``cls_head.fc``) or ``'pyskl'``
            (``cls_head.fc_cls``). Defaults to ``'mmaction'``.

    Returns:
        OrderedDict[str, Tensor]: Their keys, the graph copied into every
        block, for ``RecognizerGCN.load_state_dict(strict=True)``.

    Raises:
        MMActionCheckpointMismatchError: For keys with no MMAction2
            equivalent (e.g. a two-stream model) or a first block that
            MMAction2 would build with a residual.
    """
    if head_format not in HEAD_PREFIXES:
        raise ValueError(f'head_format must be one of {list(HEAD_PREFIXES)}'
                         f', got {head_format!r}')
    source = strip_module_prefix(state_dict)
    num_blocks = _num_blocks(source)
    result: OrderedDict[str, torch.Tensor] = OrderedDict()
    unmapped = []
    for key, value in source.items():
        theirs = mmaction_keys_for(key, num_blocks, head_format)
        if not theirs:
            unmapped.append(f'{key} (shape {_shape(value)})')
        for their_key in theirs:
            result[their_key] = value.clone() if key == _GRAPH_KEY else value
    stem = source.get('backbone.blocks.0.gcn.conv.weight')
    problems = (
        key_listing('keys with no MMAction2 equivalent', unmapped) +
        key_listing('first block', _residual_problem(
            {'gcn.conv.weight': stem,
             'tcn.conv.weight': source.get(
                 'backbone.blocks.0.tcn.conv.weight')}, '')))
    if num_blocks == 0 or _GRAPH_KEY not in source:
        problems.insert(0, '  not an ST-GCN state dict of this framework '
                        '(no backbone.blocks.*.gcn.conv.weight or '
                        'backbone.A)')
    if problems:
        raise MMActionCheckpointMismatchError(
            f'the state dict cannot be written for '
            f'{_FORMAT_NAMES[head_format]}; nothing was converted.\n' +
            '\n'.join(problems))
    return OrderedDict(sorted(result.items(), key=_mmaction_order))


# order of the tensors inside one MMAction2 block, as its modules register
_BLOCK_ORDER = ('gcn.PA', 'gcn.A', 'gcn.bn.', 'gcn.conv.', 'tcn.conv.',
                'tcn.bn.', 'residual.conv.', 'residual.bn.')


def _mmaction_order(item: Tuple[str, object]) -> Tuple[int, int, int]:
    """Sort key giving MMAction2's own order: data_bn, blocks, head."""
    key = item[0]
    match = re.match(r'backbone\.gcn\.(\d+)\.(.*)', key)
    if match is None:
        return (0 if key.startswith('backbone.') else 2, 0, 0)
    rank = next((i for i, part in enumerate(_BLOCK_ORDER)
                 if match[2] == part or match[2].startswith(part)
                 and part.endswith('.')), len(_BLOCK_ORDER))
    return (1, int(match[1]), rank)


def infer_stgcn_model_cfg(state_dict: Mapping[str, torch.Tensor],
                          layout: str) -> dict:
    """The ``SkeletonRecognizer`` config that fits an MMAction2 state dict.

    Channels, temporal kernel, edge importance and class count are read
    from the shapes. Strides are not stored in weights: a block with a
    residual projection (1x1 conv) is taken to halve time, as in
    MMAction2's default (``down_stages == inflate_stages``); give a config
    to the converter for anything else.

    Args:
        state_dict (Mapping[str, Tensor]): MMAction2/PYSKL tensors.
        layout (str): The built-in layout of the graph.

    Returns:
        dict: ``model`` config with ``STGCN`` and ``ClsHead``.
    """
    source = strip_module_prefix(state_dict)
    indices = sorted(
        int(match[1]) for match in map(_THEIR_BLOCK.fullmatch, source)
        if match)
    if not indices or indices != list(range(len(indices))):
        raise MMActionCheckpointMismatchError(
            'not an MMAction2/PYSKL ST-GCN state dict: its blocks '
            f'backbone.gcn.{{i}}.gcn.conv.weight are {indices}')
    prefix = 'backbone.gcn.{}.'

    def tensor(key: str) -> torch.Tensor:
        if key not in source:
            raise MMActionCheckpointMismatchError(
                f'the MMAction2/PYSKL ST-GCN state dict has no {key}')
        return source[key]

    channels = [
        int(tensor(prefix.format(i) + 'tcn.conv.weight').shape[0])
        for i in indices
    ]
    strides = [
        2 if i > 0 and prefix.format(i) + 'residual.conv.weight' in source
        else 1 for i in indices
    ]
    adjacency = tensor(prefix.format(0) + 'gcn.A')
    head = HEAD_PREFIXES[head_format_of(source)]
    graph_cfg = dict(type='Graph', layout=layout, strategy='spatial')
    if adjacency.shape[0] != 3:
        graph_cfg['max_hop'] = (int(adjacency.shape[0]) - 1) // 2
    return dict(
        type='SkeletonRecognizer',
        backbone=dict(
            type='STGCN',
            graph_cfg=graph_cfg,
            in_channels=int(
                tensor(prefix.format(0) + 'gcn.conv.weight').shape[1]),
            channels=channels,
            strides=strides,
            temporal_kernel_size=int(
                tensor(prefix.format(0) + 'tcn.conv.weight').shape[2]),
            edge_importance_weighting=prefix.format(0) + 'gcn.PA' in source),
        cls_head=dict(
            type='ClsHead',
            num_classes=int(tensor(head + '.weight').shape[0]),
            in_channels=int(tensor(head + '.weight').shape[1])))


def mmaction_graph_cfg(layout: str, max_hop: int = 1) -> dict:
    """MMAction2's ``graph_cfg`` for one of our layouts.

    Layouts MMAction2 lacks (e.g. the reference's ``ntu-rgb+d``) are given
    as its custom ``dict(num_node, inward, center)``.
    """
    value = layout if layout in MMACTION_LAYOUTS else dict(
        num_node=LAYOUTS[layout].num_node,
        inward=[list(edge) for edge in LAYOUTS[layout].edges],
        center=LAYOUTS[layout].center)
    cfg = dict(layout=value, mode='stgcn_spatial')
    if max_hop != 1:
        cfg['max_hop'] = max_hop
    return cfg
