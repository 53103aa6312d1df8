"""Datasets (feeders) and their transforms (registry location)."""
from .skeleton_dataset import SkeletonDataset

__all__ = ['SkeletonDataset']
