"""Models: layers, backbones, heads and recognizers (registry location)."""
from .backbones import STGCN
from .converters import (
    OriginalCheckpointMismatchError,
    convert_original_state_dict,
    is_original_stgcn_state_dict,
)
from .heads import ClsHead
from .recognizers import SkeletonRecognizer, TwoStreamRecognizer

__all__ = [
    'ClsHead', 'OriginalCheckpointMismatchError', 'STGCN',
    'SkeletonRecognizer', 'TwoStreamRecognizer',
    'convert_original_state_dict', 'is_original_stgcn_state_dict'
]
