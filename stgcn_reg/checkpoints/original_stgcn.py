"""Convert state dicts of the original ST-GCN code to this framework.

The reference implementation (``net.st_gcn.Model`` of Yan et al., 2018)
names its tensors ``data_bn.*``, ``st_gcn_networks.{i}.gcn.conv.*``,
``st_gcn_networks.{i}.tcn.{0,2,3}.*`` (BN, temporal conv, BN),
``st_gcn_networks.{i}.residual.{0,1}.*`` (conv + BN shortcut),
``edge_importance.{i}``, ``fcn.*`` (a 1x1 conv classifier) and the buffer
``A``. Its two-stream model (``net.st_gcn_twostream.Model``) holds two such
models under ``origin_stream.`` and ``motion_stream.``.

The expected original keys are derived from the target model's own state
dict, so every key and shape is checked and a file that does not fit is
refused as a whole, never loaded in part.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Tuple

import torch
from torch import nn

MODULE_PREFIX = 'module.'

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
# (original, framework) prefixes of the two streams of the two-stream model
_TWO_STREAM_PREFIXES = (('origin_stream.', 'origin.'),
                        ('motion_stream.', 'motion.'))
_CLASSIFIER_KEY = 'cls_head.fc.weight'
_HEAD_KEY = re.compile(r'((origin|motion)\.)?cls_head\.fc\.(weight|bias)')
_LIST_LIMIT = 20


class OriginalCheckpointMismatchError(ValueError):
    """An original ST-GCN state dict does not fit the target model."""


def _template_regex(template: str) -> 're.Pattern[str]':
    pattern = re.escape(template)
    pattern = pattern.replace(re.escape('{i}'), r'(?P<i>\d+)')
    pattern = pattern.replace(re.escape('{name}'), r'(?P<name>[^.]+)')
    return re.compile(pattern)


_OURS_TO_ORIGINAL = [(_template_regex(ours), original)
                     for original, ours in _STREAM_RULES]


def _original_in_stream(key: str) -> Optional[str]:
    for pattern, template in _OURS_TO_ORIGINAL:
        match = pattern.fullmatch(key)
        if match:
            return template.format(**match.groupdict())
    return None


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
            inner = _original_in_stream(model_key[len(our_prefix):])
            return None if inner is None else original_prefix + inner
    return _original_in_stream(model_key)


def strip_module_prefix(state_dict: Mapping[str, torch.Tensor]
                        ) -> 'OrderedDict[str, torch.Tensor]':
    """Drop the ``module.`` that ``nn.DataParallel`` puts before keys."""
    return OrderedDict(
        (key[len(MODULE_PREFIX):] if key.startswith(MODULE_PREFIX) else key,
         value) for key, value in state_dict.items())


def _is_two_stream(keys) -> bool:
    return any(
        key.startswith(prefix) for key in keys
        for prefix, _ in _TWO_STREAM_PREFIXES)


def is_original_stgcn_state_dict(obj: object) -> bool:
    """Whether ``obj`` is a state dict of the original (two-stream) ST-GCN.

    True for a mapping of tensors with keys such as
    ``st_gcn_networks.0.gcn.conv.weight`` or
    ``origin_stream.st_gcn_networks.0...``, with or without ``module.``.
    """
    if not isinstance(obj, Mapping) or not obj:
        return False
    if not all(isinstance(key, str) for key in obj):
        return False
    markers = ('st_gcn_networks.', 'origin_stream.st_gcn_networks.',
               'motion_stream.st_gcn_networks.')
    return any(
        key.startswith(markers) and torch.is_tensor(value)
        for key, value in strip_module_prefix(obj).items())


def key_listing(title: str, lines: List[str]) -> List[str]:
    """Indented report lines under ``title``, the list cut at 20 items."""
    if not lines:
        return []
    shown = [f'    {line}' for line in lines[:_LIST_LIMIT]]
    if len(lines) > _LIST_LIMIT:
        shown.append(f'    ... and {len(lines) - _LIST_LIMIT} more')
    return [f'  {title} ({len(lines)}):', *shown]


def _shape(tensor: torch.Tensor) -> Tuple[int, ...]:
    return tuple(tensor.shape)


def _fit_classifier(value: torch.Tensor,
                    target: torch.Tensor) -> torch.Tensor:
    """The reference's 1x1 conv weight ``(K, C, 1, 1)`` as linear ``(K, C)``.
    """
    if value.dim() == 4 and value.shape[2:] == (1, 1) and target.dim() == 2:
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
    expected: Dict[str, str] = OrderedDict()  # original key -> model key
    unmapped: List[str] = []
    for key in target:
        original = original_key_for(key)
        if original is None:
            unmapped.append(key)
        else:
            expected[original] = key

    converted: OrderedDict[str, torch.Tensor] = OrderedDict()
    missing, mismatched, head_mismatched = [], [], []
    for original, key in expected.items():
        ours = target[key]
        if original not in source:
            if original.endswith('num_batches_tracked'):
                converted[key] = torch.zeros_like(ours)
            else:
                missing.append(f'{original} (model key {key}, shape '
                               f'{_shape(ours)})')
            continue
        value = source[original]
        if not torch.is_tensor(value):
            mismatched.append(f'{original}: not a tensor but '
                              f'{type(value).__name__}')
            continue
        file_shape = _shape(value)
        if key.endswith(_CLASSIFIER_KEY):
            value = _fit_classifier(value, ours)
        if value.shape != ours.shape:
            mismatched.append(f'{original}: file {file_shape} vs model '
                              f'{_shape(ours)} ({key})')
            if _HEAD_KEY.fullmatch(key):
                head_mismatched.append(mismatched[-1])
            continue
        converted[key] = (
            value.to(ours.dtype) if value.is_floating_point() else value)
    unexpected = [
        f'{key} (shape {_shape(value) if torch.is_tensor(value) else "?"})'
        for key, value in source.items() if key not in expected
    ]

    if skip_mismatched_head and head_mismatched:
        mismatched = [m for m in mismatched if m not in head_mismatched]
        # the whole classifier stays as initialised, never half of it
        for key in [key for key in converted if _HEAD_KEY.fullmatch(key)]:
            del converted[key]
    problems = (
        key_listing('missing from the file', missing) +
        key_listing('unexpected in the file', unexpected) +
        key_listing('shape mismatches', mismatched) +
        key_listing('model tensors with no original equivalent', unmapped))
    if not problems:
        problems = key_listing('graph mismatch',
                            _graph_problems(converted, target))
    if problems:
        hint = _stream_hint(source, target)
        if mismatched and mismatched == head_mismatched:
            hint = ('only the classifier differs (num_classes); to '
                    'fine-tune on other classes, tools/train.py --load-from '
                    'leaves it out')
        raise OriginalCheckpointMismatchError(
            'the original ST-GCN state dict does not fit '
            f'{type(model).__name__}; nothing was loaded.\n  hint: {hint}\n'
            + '\n'.join(problems))
    return converted


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
