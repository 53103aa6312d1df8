"""State dicts of the original ST-GCN code, converted to this package's.

The reference implementation (``net.st_gcn.Model`` of Yan et al., 2018)
names its tensors ``data_bn.*``, ``st_gcn_networks.{i}.gcn.conv.*``,
``st_gcn_networks.{i}.tcn.{0,2,3}.*`` (BN, temporal conv, BN),
``st_gcn_networks.{i}.residual.{0,1}.*`` (conv + BN shortcut),
``edge_importance.{i}``, ``fcn.*`` (a 1x1 conv classifier) and the buffer
``A``. Its two-stream model (``net.st_gcn_twostream.Model``) holds two such
models under ``origin_stream.`` and ``motion_stream.``.

The expected original keys are derived from the target model's own state
dict, so every key and shape is checked and a file that does not fit is
refused as a whole, never loaded in part. There is no export to it.
"""
import re
from collections import OrderedDict
from typing import List, Mapping, Optional, Tuple

import torch
from torch import nn

from stgcn_reg.checkpoints.converted_files import save_converted
from stgcn_reg.checkpoints.errors import (
    OriginalCheckpointMismatchError,
    key_listing,
)
from stgcn_reg.checkpoints.model_builder import build_model_from_config
from stgcn_reg.checkpoints.state_dicts import (
    compile_rules,
    is_named_mapping,
    rename_key,
    strip_module_prefix,
)
from stgcn_reg.checkpoints.tensor_matching import (
    CLASSIFIER_ONLY_HINT,
    expected_keys,
    match_tensors,
)

NAME = 'original ST-GCN'
# (original, framework) names inside one stream; ``{i}`` is a block or
# mask index and ``{name}`` a tensor name such as ``weight``.
_STREAM_RULES: Tuple[Tuple[str, str], ...] = (
    ('A', 'backbone.A'),
    ('data_bn.{name}', 'backbone.data_bn.{name}'),
    ('edge_importance.{i}', 'backbone.edge_importance.{i}'),
    ('st_gcn_networks.{i}.gcn.conv.{name}',
     'backbone.blocks.{i}.gcn.conv.{name}'),
    ('st_gcn_networks.{i}.tcn.0.{name}',
     'backbone.blocks.{i}.tcn.bn_in.{name}'),
    ('st_gcn_networks.{i}.tcn.2.{name}',
     'backbone.blocks.{i}.tcn.conv.{name}'),
    ('st_gcn_networks.{i}.tcn.3.{name}',
     'backbone.blocks.{i}.tcn.bn_out.{name}'),
    ('st_gcn_networks.{i}.residual.0.{name}',
     'backbone.blocks.{i}.residual.conv.{name}'),
    ('st_gcn_networks.{i}.residual.1.{name}',
     'backbone.blocks.{i}.residual.bn.{name}'),
    ('fcn.{name}', 'cls_head.fc.{name}'),
)
_OURS_TO_ORIGINAL = compile_rules(
    (ours, original) for original, ours in _STREAM_RULES)
# (original, framework) prefixes of the two streams of the two-stream model
_TWO_STREAM_PREFIXES = (('origin_stream.', 'origin.'),
                        ('motion_stream.', 'motion.'))
_CLASSIFIER_KEY = 'cls_head.fc.weight'
_HEAD_KEY = re.compile(r'((origin|motion)\.)?cls_head\.fc\.(weight|bias)')


def original_key_for(model_key: str) -> Optional[str]:
    """The original ST-GCN name of a framework key, or None if it has none.

    Examples:
        >>> original_key_for('backbone.blocks.4.residual.bn.weight')
        'st_gcn_networks.4.residual.1.weight'
        >>> original_key_for('motion.cls_head.fc.bias')
        'motion_stream.fcn.bias'
    """
    for original_prefix, our_prefix in _TWO_STREAM_PREFIXES:
        if model_key.startswith(our_prefix):
            inner = rename_key(model_key[len(our_prefix):], _OURS_TO_ORIGINAL)
            return None if inner is None else original_prefix + inner
    return rename_key(model_key, _OURS_TO_ORIGINAL)


def _is_two_stream(keys) -> bool:
    return any(
        key.startswith(prefix) for key in keys
        for prefix, _ in _TWO_STREAM_PREFIXES)


def is_original_stgcn_state_dict(obj: object) -> bool:
    """Whether ``obj`` is a state dict of the original (two-stream) ST-GCN.

    True for a mapping of tensors with keys such as
    ``st_gcn_networks.0.gcn.conv.weight`` or
    ``origin_stream.st_gcn_networks.0...``, with or without ``module.``.
    A checkpoint wrapping one (``dict(state_dict=...)``) is not.
    """
    if not is_named_mapping(obj):
        return False
    markers = ('st_gcn_networks.', 'origin_stream.st_gcn_networks.',
               'motion_stream.st_gcn_networks.')
    return any(
        key.startswith(markers) and torch.is_tensor(value)
        for key, value in strip_module_prefix(obj).items())


def describe(state_dict: Mapping[str, object]) -> str:
    """The format's name for messages."""
    return NAME


def _fit_classifier(key: str, value: torch.Tensor,
                    target: torch.Tensor) -> torch.Tensor:
    """The reference's 1x1 conv weight ``(K, C, 1, 1)`` as linear ``(K, C)``.
    """
    if (key.endswith(_CLASSIFIER_KEY) and value.dim() == 4
            and value.shape[2:] == (1, 1) and target.dim() == 2):
        return value.reshape(value.shape[:2])
    return value


def _graph_problems(converted: Mapping[str, torch.Tensor],
                    target: Mapping[str, torch.Tensor]) -> List[str]:
    """Adjacency buffers that differ from the model's graph."""
    problems = []
    for key, ours in target.items():
        if not (key == 'backbone.A' or key.endswith('.backbone.A')):
            continue
        theirs = converted[key].to(ours.device, ours.dtype)
        if not torch.allclose(theirs, ours, rtol=0, atol=1e-6):
            problems.append(
                f'{original_key_for(key)}: the adjacency in the file '
                f'differs from the model graph (max difference '
                f'{(theirs - ours).abs().max().item():.3g}); set the '
                'layout, strategy, max_hop and dilation of '
                'model.backbone.graph_cfg to those the weights were '
                'trained with')
    return problems


def convert_original_state_dict(
        state_dict: Mapping[str, torch.Tensor],
        model: nn.Module,
        skip_mismatched_head: bool = False
) -> 'OrderedDict[str, torch.Tensor]':
    """Map an original ST-GCN state dict onto ``model``'s keys, checked.

    ``model`` is a ``SkeletonRecognizer`` (keys ``backbone.*`` and
    ``cls_head.fc.*``) for a single-stream file, or a
    ``TwoStreamRecognizer`` (``origin.*`` and ``motion.*``) for a
    two-stream one. A leading ``module.`` is dropped. A missing
    ``num_batches_tracked`` (files saved before PyTorch 0.4.1) is filled
    with 0; it does not change the outputs.

    Args:
        state_dict (Mapping[str, Tensor]): The original tensors.
        model (nn.Module): The model the weights are meant for; only its
            ``state_dict()`` keys, shapes and graph are read.
        skip_mismatched_head (bool): For fine-tuning on other classes:
            leave the classifier (``cls_head.fc.*``) out of the result
            when its shape differs, instead of refusing. Every other
            tensor is still checked. Defaults to False.

    Returns:
        OrderedDict[str, Tensor]: Every key of ``model.state_dict()``, in
        its order, ready for ``model.load_state_dict(..., strict=True)``
        (without the classifier when it was skipped).

    Raises:
        OriginalCheckpointMismatchError: Naming every missing and
            unexpected original key and every shape mismatch (and a graph
            that differs from the file's ``A``). Nothing is converted then.
    """
    source = strip_module_prefix(state_dict)
    target = model.state_dict()
    expected, unmapped = expected_keys(
        target, lambda key: [name for name in [original_key_for(key)] if name])
    match = match_tensors(
        source, target, expected, lambda key: bool(_HEAD_KEY.fullmatch(key)),
        skip_mismatched_head, adapt=_fit_classifier,
        fill_missing=lambda key: key.endswith('num_batches_tracked'))
    problems = match.listing() + key_listing(
        'model tensors with no original equivalent', unmapped)
    if not problems:
        problems = key_listing('graph mismatch',
                               _graph_problems(match.converted, target))
    if problems:
        hint = (CLASSIFIER_ONLY_HINT if match.only_head_differs else
                _stream_hint(source, target))
        raise OriginalCheckpointMismatchError(
            'the original ST-GCN state dict does not fit '
            f'{type(model).__name__}; nothing was loaded.\n  hint: {hint}\n'
            + '\n'.join(problems))
    return match.converted


def _stream_hint(source: Mapping, target: Mapping) -> str:
    file_two, model_two = _is_two_stream(source), _is_two_stream(
        [original_key_for(key) or '' for key in target])
    if file_two and not model_two:
        return ('the file is a two-stream ST-GCN; use '
                "model.type='TwoStreamRecognizer'")
    if model_two and not file_two:
        return ('the file is a single-stream ST-GCN; use '
                "model.type='SkeletonRecognizer'")
    return ('check the layout (joints), strategy (partitions), channels, '
            'edge_importance_weighting and num_classes of the config')


def save_converted_checkpoint(state_dict: Mapping[str, torch.Tensor],
                              source: str,
                              out_file: str,
                              model_cfg: Mapping,
                              skip_mismatched_head: bool = False) -> dict:
    """Convert an original state dict for ``model_cfg``; save atomically.

    Args:
        state_dict (Mapping[str, Tensor]): The original tensors.
        source (str): Where they came from (kept in ``meta``).
        out_file (str): The checkpoint to write.
        model_cfg (Mapping): Config of the target model (``cfg.model``).
        skip_mismatched_head (bool): Leave out a classifier of another
            class count (fine-tuning); ``meta['not_converted']`` names
            it. Defaults to False.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``.

    Raises:
        OriginalCheckpointMismatchError: When the file does not fit the
            model; nothing is written then.
    """
    model = build_model_from_config(model_cfg)
    converted = convert_original_state_dict(state_dict, model,
                                            skip_mismatched_head)
    return save_converted(converted, model, source,
                          'original ST-GCN state dict', out_file)


# the format's interface (see :mod:`.checkpoint_format`); no ``from_ours``
detect = is_original_stgcn_state_dict
to_ours = convert_original_state_dict
save_as_ours = save_converted_checkpoint
