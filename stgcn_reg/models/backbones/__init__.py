"""Skeleton backbones."""
from .st_gcn import STGCN

__all__ = ['STGCN']
