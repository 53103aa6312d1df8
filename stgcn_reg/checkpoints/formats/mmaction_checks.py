"""Why an MMAction2/PYSKL ST-GCN does not fit: the first block's
residual and the hint of a mismatch message."""
from typing import List, Mapping

import torch

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


def mismatch_hint(source: Mapping, target: Mapping,
                  match: TensorMatch) -> str:
    """The likeliest cause of the mismatches, as advice."""
    if match.only_head_differs:
        return CLASSIFIER_ONLY_HINT
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
