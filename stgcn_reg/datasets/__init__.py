"""Datasets (feeders) and their transforms (registry location)."""

from .bold_dataset import BoldDataset
from .h5_skeleton_dataset import H5SkeletonDataset
from .pose_annotation_dataset import PoseAnnotationDataset
from .skeleton_dataset import SkeletonDataset

__all__ = [
    'BoldDataset', 'H5SkeletonDataset', 'PoseAnnotationDataset',
    'SkeletonDataset'
]
