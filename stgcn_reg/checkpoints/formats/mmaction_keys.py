"""Key names of MMAction2/PYSKL ST-GCN state dicts: telling them apart,
and mapping them to ours and back (ST-GCN++'s block keys in
:mod:`.mmaction_stgcnpp`)."""
import re
from collections import OrderedDict
from typing import Any, List, Mapping, Optional, Tuple

import torch

from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    is_their_stgcnpp,
    our_stgcnpp_key_for,
    stgcnpp_key_for,
)
from stgcn_reg.checkpoints.state_dicts import (
    compile_rules,
    is_named_mapping,
    rename_key,
    strip_module_prefix,
)

# head prefix of each format
HEAD_PREFIXES = OrderedDict(mmaction='cls_head.fc', pyskl='cls_head.fc_cls')
FORMAT_NAMES = dict(mmaction='MMAction2', pyskl='PYSKL')
SOURCE_FORMATS = dict(mmaction='MMAction2 ST-GCN', pyskl='PYSKL ST-GCN')
GRAPH_KEY = 'backbone.A'
THEIR_BLOCK = re.compile(r'backbone\.gcn\.(\d+)\.gcn\.conv\.weight')
# (theirs, ours) in one block; the graph A is one buffer per block there
_BLOCK_RULES: Tuple[Tuple[str, str], ...] = tuple(
    ('backbone.gcn.{i}.' + theirs, 'backbone.' + ours) for theirs, ours in (
        ('gcn.PA', 'edge_importance.{i}'),
        ('gcn.conv.{name}', 'blocks.{i}.gcn.conv.{name}'),
        ('gcn.bn.{name}', 'blocks.{i}.tcn.bn_in.{name}'),
        ('tcn.conv.{name}', 'blocks.{i}.tcn.conv.{name}'),
        ('tcn.bn.{name}', 'blocks.{i}.tcn.bn_out.{name}'),
        ('residual.conv.{name}', 'blocks.{i}.residual.conv.{name}'),
        ('residual.bn.{name}', 'blocks.{i}.residual.bn.{name}'),
    ))
_TO_THEIRS = compile_rules((ours, theirs) for theirs, ours in _BLOCK_RULES)
_TO_OURS = compile_rules(_BLOCK_RULES + (
    ('backbone.gcn.0.gcn.A', GRAPH_KEY),
    ('backbone.data_bn.{name}', 'backbone.data_bn.{name}'),
))
_OURS_HEAD = re.compile(r'cls_head\.fc\.(?P<name>weight|bias)')


def head_format_of(state_dict: Mapping[str, object]) -> str:
    """``'pyskl'`` when the head is ``cls_head.fc_cls``, else ``'mmaction'``.
    """
    pyskl = HEAD_PREFIXES['pyskl'] + '.'
    return 'pyskl' if any(k.startswith(pyskl) for k in state_dict) else (
        'mmaction')


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
    if model_key == GRAPH_KEY:
        return [f'backbone.gcn.{i}.gcn.A' for i in range(num_blocks)]
    if model_key.startswith('backbone.data_bn.'):
        return [model_key]
    head = _OURS_HEAD.fullmatch(model_key)
    if head:
        return [f'{HEAD_PREFIXES[head_format]}.{head["name"]}']
    theirs = rename_key(model_key, _TO_THEIRS) or stgcnpp_key_for(model_key)
    return [] if theirs is None else [theirs]


def our_key_for(their_key: str, stgcnpp: bool = False) -> Optional[str]:
    """Our name of an MMAction2/PYSKL key, or None if it has none (for
    ST-GCN the graph is taken from block 0; ``stgcnpp``: the key of an
    ST-GCN++, for our ``STGCNPP``)."""
    for prefix in HEAD_PREFIXES.values():
        name = their_key[len(prefix) + 1:]
        if their_key.startswith(prefix + '.') and name in ('weight', 'bias'):
            return f'cls_head.fc.{name}'
    if stgcnpp and not their_key.startswith('backbone.data_bn.'):
        return our_stgcnpp_key_for(their_key)
    return rename_key(their_key, _TO_OURS)


def with_our_keys(state_dict: Mapping[str, object],
                  stgcnpp: Optional[bool] = None
                  ) -> 'OrderedDict[str, object]':
    """The tensors that have a name here, renamed (nothing checked);
    ``stgcnpp`` is told from the keys when None."""
    if stgcnpp is None:
        stgcnpp = is_their_stgcnpp(state_dict)
    renamed = ((our_key_for(key, stgcnpp), value)
               for key, value in state_dict.items())
    return OrderedDict((key, value) for key, value in renamed if key)


def is_mmaction_stgcn_state_dict(obj: object) -> bool:
    """Whether ``obj`` is an MMAction2/PYSKL ST-GCN state dict.

    True for a mapping of tensors with keys such as
    ``backbone.gcn.0.gcn.conv.weight`` (with or without ``module.``).
    """
    if not is_named_mapping(obj):
        return False
    return any(
        THEIR_BLOCK.fullmatch(key) and torch.is_tensor(value)
        for key, value in strip_module_prefix(obj).items())


def describe(state_dict: Mapping[str, Any]) -> str:
    """``'MMAction2 ST-GCN'`` or ``'PYSKL ST-GCN'`` by the head's name,
    ``'... ST-GCN++'`` for multi-scale temporal convs."""
    source = strip_module_prefix(state_dict)
    name = SOURCE_FORMATS[head_format_of(source)]
    return name + '++' if is_their_stgcnpp(source) else name
