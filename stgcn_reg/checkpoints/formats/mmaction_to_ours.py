"""MMAction2/PYSKL ST-GCN and ST-GCN++ state dicts mapped onto our
models, checked, and the model config their shapes give."""
from collections import OrderedDict
from typing import List, Mapping, Tuple

import torch
from torch import nn

from stgcn_reg.checkpoints.errors import (
    MMActionCheckpointMismatchError,
    key_listing,
)
from stgcn_reg.checkpoints.formats.mmaction_checks import (
    mismatch_hint,
    residual_problem,
)
from stgcn_reg.checkpoints.formats.mmaction_graphs import (
    graph_mismatch,
    graph_of_blocks,
)
from stgcn_reg.checkpoints.formats.mmaction_keys import (
    FORMAT_NAMES,
    GRAPH_KEY,
    HEAD_PREFIXES,
    THEIR_BLOCK,
    head_format_of,
    mmaction_keys_for,
    with_our_keys,
)
from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    check_supported,
    is_our_stgcnpp,
    is_their_stgcnpp,
)
from stgcn_reg.checkpoints.formats.ours_model_cfg import (
    model_config_from_weights,
    num_blocks,
)
from stgcn_reg.checkpoints.state_dicts import strip_module_prefix
from stgcn_reg.checkpoints.tensor_matching import (
    TensorMatch,
    expected_keys,
    match_tensors,
)


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
            backbone (for MMAction2's ST-GCN; the file's one graph must be
            the model's) or an ``STGCNPP`` (for its ST-GCN++; the learned
            graphs are taken as they are) and a ``ClsHead``; only its
            ``state_dict()`` is read.
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
    blocks = num_blocks(target)
    expected, unmapped = expected_keys(
        target, lambda key: mmaction_keys_for(key, blocks, head_format))
    if is_our_stgcnpp(target):  # learned graphs: loaded as they are
        match = match_tensors(source, target, expected, _is_head,
                              skip_mismatched_head)
        graph_problems: List[str] = []
    else:
        match, graph_problems = _match_shared_graph(
            source, target, expected, blocks, skip_mismatched_head)
    problems = (
        match.listing() + graph_problems +
        key_listing('model tensors with no MMAction2 equivalent', unmapped) +
        key_listing('first block',
                    residual_problem(source, 'backbone.gcn.0.')))
    hint = mismatch_hint(source, target, match)
    if not problems and GRAPH_KEY in match.converted:
        problems = key_listing('graph mismatch', graph_mismatch(
            match.converted[GRAPH_KEY], target[GRAPH_KEY]))
        hint = 'the weights were trained on another graph than the model\'s'
    if problems:
        raise MMActionCheckpointMismatchError(
            f'the {FORMAT_NAMES[head_format]} {_kind(source)} state dict '
            f'does not fit {type(model).__name__}; nothing was loaded.\n  '
            f'hint: {hint}\n' + '\n'.join(problems))
    return match.converted


def _is_head(key: str) -> bool:
    return key.startswith('cls_head.')


def _kind(source: Mapping[str, torch.Tensor]) -> str:
    return 'ST-GCN++' if is_their_stgcnpp(source) else 'ST-GCN'


def _match_shared_graph(source: Mapping[str, torch.Tensor],
                        target: Mapping[str, torch.Tensor],
                        expected: Mapping[str, str], blocks: int,
                        skip_mismatched_head: bool
                        ) -> Tuple[TensorMatch, List[str]]:
    """The tensors for an ``STGCN``, whose one graph buffer must be the
    one graph every block of the file has; and the graph problems."""
    graph, graph_problems = graph_of_blocks(
        source, mmaction_keys_for(GRAPH_KEY, blocks))
    match = match_tensors(
        source, target, expected, _is_head, skip_mismatched_head,
        adapt=lambda key, value, ours: graph if key == GRAPH_KEY else value)
    return match, key_listing('graphs', graph_problems)


def infer_stgcn_model_cfg(state_dict: Mapping[str, torch.Tensor],
                          layout: str) -> dict:
    """The ``SkeletonRecognizer`` config that fits an MMAction2 state dict.

    The keys are renamed to ours and read by
    :func:`~.ours_model_cfg.model_config_from_weights`: a block with a
    residual projection is taken to halve time, as in MMAction2's default
    (``down_stages == inflate_stages``); give a config to the converter
    for anything else. An ST-GCN++ (multi-scale temporal convs) gives an
    ``STGCNPP`` whose graph is the ``layout``'s start nearest to the
    learned graphs (MMAction2's ``mode='spatial'`` for its configs).

    Args:
        state_dict (Mapping[str, Tensor]): MMAction2/PYSKL tensors.
        layout (str): The built-in layout of the graph.

    Returns:
        dict: ``model`` config with ``STGCN`` or ``STGCNPP`` and
        ``ClsHead``.

    Raises:
        MMActionCheckpointMismatchError: Not an ST-GCN, or an ST-GCN++
            variant ``STGCNPP`` cannot hold (one line naming it).
    """
    source = strip_module_prefix(state_dict)
    plus_plus = is_their_stgcnpp(source)
    check_supported(source, 'the state dict')
    indices = sorted(
        int(match[1]) for match in map(THEIR_BLOCK.fullmatch, source)
        if match)
    if not indices or indices != list(range(len(indices))):
        raise MMActionCheckpointMismatchError(
            'not an MMAction2/PYSKL ST-GCN state dict: its blocks '
            f'backbone.gcn.{{i}}.gcn.conv.weight are {indices}')
    out = 'tcn.bn.weight' if plus_plus else 'tcn.conv.weight'
    needed = [f'backbone.gcn.{i}.{out}' for i in indices] + [
        'backbone.gcn.0.gcn.A', 'backbone.gcn.0.gcn.conv.weight',
        HEAD_PREFIXES[head_format_of(source)] + '.weight'
    ]
    for key in needed:
        if key not in source:
            raise MMActionCheckpointMismatchError(
                f'the MMAction2/PYSKL {_kind(source)} state dict has no '
                f'{key}')
    return model_config_from_weights(with_our_keys(source, plus_plus),
                                     layout)
