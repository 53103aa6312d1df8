"""Our ST-GCN and ST-GCN++ state dicts under MMAction2's or PYSKL's keys."""
import re
from collections import OrderedDict
from typing import Mapping, Tuple

import torch

from stgcn_reg.checkpoints.errors import (
    MMActionCheckpointMismatchError,
    key_listing,
)
from stgcn_reg.checkpoints.formats.mmaction_checks import residual_problem
from stgcn_reg.checkpoints.formats.mmaction_keys import (
    FORMAT_NAMES,
    GRAPH_KEY,
    HEAD_PREFIXES,
    mmaction_keys_for,
)
from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import is_our_stgcnpp
from stgcn_reg.checkpoints.formats.ours_model_cfg import num_blocks
from stgcn_reg.checkpoints.state_dicts import shape_text, strip_module_prefix


def to_mmaction_state_dict(
        state_dict: Mapping[str, torch.Tensor],
        head_format: str = 'mmaction') -> 'OrderedDict[str, torch.Tensor]':
    """Map this framework's ST-GCN state dict to MMAction2's or PYSKL's keys.

    Args:
        state_dict (Mapping[str, Tensor]): A ``SkeletonRecognizer`` with an
            ``STGCN`` (for MMAction2's ST-GCN) or ``STGCNPP`` (for its
            ST-GCN++) backbone and a ``ClsHead`` (``module.`` is dropped).
        head_format (str): ``'mmaction'`` (``cls_head.fc``) or ``'pyskl'``
            (``cls_head.fc_cls``). Defaults to ``'mmaction'``.

    Returns:
        OrderedDict[str, Tensor]: Their keys (an ST-GCN's one graph copied
        into every block), in MMAction2's order, for
        ``RecognizerGCN.load_state_dict(strict=True)``.

    Raises:
        MMActionCheckpointMismatchError: For keys with no MMAction2
            equivalent (e.g. a two-stream model) or a first block that
            MMAction2 would build with a residual.
    """
    if head_format not in HEAD_PREFIXES:
        raise ValueError(f'head_format must be one of {list(HEAD_PREFIXES)}'
                         f', got {head_format!r}')
    source = strip_module_prefix(state_dict)
    blocks = num_blocks(source)
    result: OrderedDict[str, torch.Tensor] = OrderedDict()
    unmapped = []
    for key, value in source.items():
        theirs = mmaction_keys_for(key, blocks, head_format)
        if not theirs:
            unmapped.append(f'{key} (shape {shape_text(value)})')
        for their_key in theirs:
            result[their_key] = value.clone() if key == GRAPH_KEY else value
    problems = (
        key_listing('keys with no MMAction2 equivalent', unmapped) +
        key_listing('first block',
                    residual_problem(source, 'backbone.blocks.0.')))
    plus_plus = is_our_stgcnpp(source)
    if blocks == 0 or not (plus_plus or GRAPH_KEY in source):
        problems.insert(0, '  not an ST-GCN state dict of this framework '
                        '(no backbone.blocks.*.gcn.conv.weight, or neither '
                        'backbone.A nor backbone.blocks.0.gcn.A)')
    if problems:
        raise MMActionCheckpointMismatchError(
            f'the state dict cannot be written for '
            f'{FORMAT_NAMES[head_format]}; nothing was converted.\n' +
            '\n'.join(problems))
    if plus_plus:  # STGCNPP registers its tensors in MMAction2's order
        return result
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


