"""Models: layers, backbones, heads and recognizers (registry location)."""
from stgcn_reg.models.backbones import STGCN
from stgcn_reg.models.heads import ClsHead
from stgcn_reg.models.recognizers import (
    SkeletonRecognizer,
    TwoStreamRecognizer,
)

__all__ = ['ClsHead', 'STGCN', 'SkeletonRecognizer', 'TwoStreamRecognizer']
