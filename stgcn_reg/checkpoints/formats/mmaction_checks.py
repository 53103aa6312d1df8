"""Why an MMAction2/PYSKL ST-GCN (or ST-GCN++) does not fit: the first
block's residual and the hint of a mismatch message."""
from typing import List, Mapping

import torch

from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    is_our_stgcnpp,
    is_their_stgcnpp,
    unsupported_stgcnpp,
)
from stgcn_reg.checkpoints.tensor_matching import (
    CLASSIFIER_ONLY_HINT,
    TensorMatch,
)


def residual_problem(state_dict: Mapping[str, torch.Tensor],
                     prefix: str) -> List[str]:
    """A first block with as many input as output channels: MMAction2
    then gives it a residual (it builds no residual-free stem), ours not,
    so the two compute different functions."""
    conv = state_dict.get(prefix + 'gcn.conv.weight')
    # ST-GCN's temporal conv, else ST-GCN++'s last BN: the block's output
    out = state_dict.get(prefix + 'tcn.conv.weight',
                         state_dict.get(prefix + 'tcn.bn.weight'))
    if not (torch.is_tensor(conv) and torch.is_tensor(out)):
        return []
    if conv.dim() == 4 and out.dim() >= 1 and conv.shape[1] == out.shape[0]:
        return [
            f'the first block takes and gives {out.shape[0]} channels: '
            'MMAction2 adds a residual there (in_channels == '
            'base_channels), this backbone never does'
        ]
    return []


def mismatch_hint(source: Mapping, target: Mapping,
                  match: TensorMatch) -> str:
    """The likeliest cause of the mismatches, as advice."""
    if match.only_head_differs:
        return CLASSIFIER_ONLY_HINT
    plus_plus, ours_plus_plus = is_their_stgcnpp(source), is_our_stgcnpp(
        target)
    unsupported = unsupported_stgcnpp(source) if plus_plus else []
    if unsupported:
        return ('the file is an ST-GCN++ with ' + '; '.join(unsupported) +
                ', which is not supported')
    if plus_plus and not ours_plus_plus:
        return ('the file is an ST-GCN++ (gcn_with_res, multi-scale '
                "tcn_type='mstcn'), which an STGCN backbone cannot hold; "
                "use type='STGCNPP' (configs/stgcnpp_*.py)")
    if not plus_plus and any('.gcn.down.' in key for key in source):
        return ('the file has a shortcut in the graph conv (gcn_with_res='
                'True) but single temporal convs, which neither STGCN nor '
                'STGCNPP holds')
    if ours_plus_plus and not plus_plus:
        return ('the file is a plain ST-GCN (no multi-scale temporal '
                "convs); use type='STGCN', not STGCNPP")
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
