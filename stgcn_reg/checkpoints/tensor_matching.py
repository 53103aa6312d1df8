"""Match a foreign state dict onto a model's keys, tensor by tensor.

The formats name their tensors differently but check them the same way:
every model key has its name in the file, every tensor its shape; what
does not fit is listed, never loaded in part.
"""
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import torch

from stgcn_reg.checkpoints.errors import key_listing
from stgcn_reg.checkpoints.state_dicts import shape_text

CLASSIFIER_ONLY_HINT = (
    'only the classifier differs (num_classes); to fine-tune on other '
    'classes, tools/train.py --load-from leaves it out')
# (model key, file tensor, model tensor) -> the tensor to check, or None
# to skip the key (a problem reported elsewhere)
Adapt = Callable[[str, torch.Tensor, torch.Tensor], Optional[torch.Tensor]]


@dataclass
class TensorMatch:
    """The tensors converted and every problem found on the way."""

    converted: 'OrderedDict[str, torch.Tensor]' = field(
        default_factory=OrderedDict)
    missing: List[str] = field(default_factory=list)
    mismatched: List[str] = field(default_factory=list)
    head_mismatched: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)

    @property
    def only_head_differs(self) -> bool:
        """Whether the classifier's shapes are the only mismatches."""
        return bool(self.mismatched) and self.mismatched == (
            self.head_mismatched)

    def listing(self) -> List[str]:
        """Report lines: missing, unexpected and mismatched tensors."""
        return (key_listing('missing from the file', self.missing) +
                key_listing('unexpected in the file', self.unexpected) +
                key_listing('shape mismatches', self.mismatched))


def expected_keys(target_keys: Sequence[str],
                  names_for: Callable[[str], List[str]]
                  ) -> Tuple[Dict[str, str], List[str]]:
    """``{file key: model key}`` in the model's order, and the model keys
    with no name in the file."""
    expected: Dict[str, str] = OrderedDict()
    unmapped = []
    for key in target_keys:
        names = names_for(key)
        if not names:
            unmapped.append(key)
        for name in names:
            expected[name] = key
    return expected, unmapped


def match_tensors(source: Mapping[str, object],
                  target: Mapping[str, torch.Tensor],
                  expected: Mapping[str, str],
                  is_head: Callable[[str], bool],
                  skip_mismatched_head: bool = False,
                  adapt: Optional[Adapt] = None,
                  fill_missing: Optional[Callable[[str], bool]] = None
                  ) -> TensorMatch:
    """Check and convert the tensors of ``source`` named in ``expected``.

    Args:
        source (Mapping): The file's tensors (``module.`` dropped).
        target (Mapping[str, Tensor]): The model's ``state_dict()``.
        expected (Mapping[str, str]): File key -> model key.
        is_head (callable): Whether a model key is the classifier's.
        skip_mismatched_head (bool): Leave out a classifier of another
            shape (fine-tuning). Defaults to False.
        adapt (callable, optional): Changes a file tensor before the check.
        fill_missing (callable, optional): File keys that may be missing;
            the model's tensor is zero-filled then.

    Returns:
        TensorMatch: The converted tensors in the model's order and the
        problems.
    """
    result = TensorMatch()
    for theirs, key in expected.items():
        _match_one(result, source, theirs, key, target[key], is_head,
                   adapt, fill_missing)
    result.unexpected = [
        f'{key} (shape {shape_text(value)})' for key, value in source.items()
        if key not in expected
    ]
    if skip_mismatched_head and result.head_mismatched:
        result.mismatched = [
            line for line in result.mismatched
            if line not in result.head_mismatched
        ]
        # the whole classifier stays as initialised, never half of it
        for key in [key for key in result.converted if is_head(key)]:
            del result.converted[key]
    return result


def _match_one(result: TensorMatch, source: Mapping[str, object],
               theirs: str, key: str, ours: torch.Tensor,
               is_head: Callable[[str], bool], adapt: Optional[Adapt],
               fill_missing: Optional[Callable[[str], bool]]) -> None:
    """Check one file tensor against the model's; record the outcome."""
    if theirs not in source:
        if fill_missing is not None and fill_missing(theirs):
            result.converted[key] = torch.zeros_like(ours)
        else:
            result.missing.append(f'{theirs} (model key {key}, shape '
                                  f'{shape_text(ours)})')
        return
    value = source[theirs]
    if not torch.is_tensor(value):
        result.mismatched.append(f'{theirs}: not a tensor but '
                                 f'{type(value).__name__}')
        return
    file_shape = shape_text(value)
    value = value if adapt is None else adapt(key, value, ours)
    if value is None:
        return
    if value.shape != ours.shape:
        result.mismatched.append(f'{theirs}: file {file_shape} vs model '
                                 f'{shape_text(ours)} ({key})')
        if is_head(key):
            result.head_mismatched.append(result.mismatched[-1])
    elif key not in result.converted:
        result.converted[key] = (
            value.to(ours.dtype) if value.is_floating_point() else value)
