"""Models: layers, backbones, heads and recognizers (registry location)."""
from .backbones import STGCN
from .heads import ClsHead
from .recognizers import SkeletonRecognizer

__all__ = ['ClsHead', 'STGCN', 'SkeletonRecognizer']
