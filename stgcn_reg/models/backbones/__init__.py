"""Skeleton backbones."""
from .skeleton_backbone import SkeletonBackbone
from .st_gcn import STGCN
from .stgcn_pp import STGCNPP

__all__ = ['STGCN', 'STGCNPP', 'SkeletonBackbone']
