"""State dict helpers every format shares: prefixes, wrappers, key rules."""
import re
from collections import OrderedDict
from typing import Any, Iterable, List, Mapping, Optional, Tuple

import torch

MODULE_PREFIX = 'module.'
# (compiled source template, target template) pairs, see compile_rules
KeyRules = List[Tuple['re.Pattern[str]', str]]


def strip_module_prefix(state_dict: Mapping[str, Any]
                        ) -> 'OrderedDict[str, Any]':
    """Drop the ``module.`` that ``nn.DataParallel`` puts before keys."""
    return OrderedDict(
        (key[len(MODULE_PREFIX):] if key.startswith(MODULE_PREFIX) else key,
         value) for key, value in state_dict.items())


def state_dict_in(obj: Any) -> Any:
    """``obj['state_dict']`` of an mmengine/mmcv checkpoint, else ``obj``."""
    if isinstance(obj, Mapping) and isinstance(obj.get('state_dict'),
                                               Mapping):
        return obj['state_dict']
    return obj


def is_named_mapping(obj: Any) -> bool:
    """Whether ``obj`` is a non-empty mapping with string keys."""
    return (isinstance(obj, Mapping) and bool(obj)
            and all(isinstance(key, str) for key in obj))


def shape_text(value: Any) -> Any:
    """A tensor's shape as a tuple for messages, ``'?'`` for a non-tensor."""
    return tuple(value.shape) if torch.is_tensor(value) else '?'


def _template_regex(template: str) -> 're.Pattern[str]':
    """``{i}`` (a number) and ``{name}`` (one key part) as named groups."""
    pattern = re.escape(template)
    pattern = pattern.replace(re.escape('{i}'), r'(?P<i>\d+)')
    pattern = pattern.replace(re.escape('{name}'), r'(?P<name>[^.]+)')
    return re.compile(pattern)


def compile_rules(pairs: Iterable[Tuple[str, str]]) -> KeyRules:
    """``(source, target)`` key templates, the source ones compiled."""
    return [(_template_regex(source), target) for source, target in pairs]


def rename_key(key: str, rules: KeyRules) -> Optional[str]:
    """``key`` under the first rule it matches, or None if none does."""
    for pattern, template in rules:
        match = pattern.fullmatch(key)
        if match:
            return template.format(**match.groupdict())
    return None
