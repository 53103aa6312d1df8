"""Prepared skeleton samples at rest, behind one interface.

A :class:`SkeletonStore` has sample ``names``, ``labels``, a length, the
``sample_shape`` and ``dtype``, and reads one checked float32 ``(C, T, V,
M)`` sample at a time. Stores: :class:`NpyStore` (``.npy`` + ``(names,
labels)`` pickle, memory-mapped), :class:`H5Store` (one HDF5 file) and
:class:`PoseAnnotationStore` (an MMAction2 / PYSKL annotation pickle).
The feeders of :mod:`stgcn_reg.datasets` and
:mod:`stgcn_reg.apis.clip_reader` read through them.
"""
from .base import SkeletonStore
from .h5_store import H5Store
from .npy_store import (
    NpyStore,
    check_label_count,
    load_label_pair,
    open_skeleton_array,
)
from .pose_store import PoseAnnotationStore

__all__ = [
    'H5Store', 'NpyStore', 'PoseAnnotationStore', 'SkeletonStore',
    'check_label_count', 'load_label_pair', 'open_skeleton_array'
]
