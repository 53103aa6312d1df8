"""Samples in an ``(N, C, T, V, M)`` ``.npy`` and a ``(names, labels)`` pkl."""
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np

from stgcn_reg.utils import safe_load_pickle

from ..feeder_checks import (
    SkeletonDataError,
    SkeletonFileNotFoundError,
    check_has_samples,
    check_joint_count,
    check_labels,
    check_skeleton_values,
    describe,
)
from .base import SkeletonStore

_NPY_MAGIC = b'\x93NUMPY'


def open_skeleton_array(
    data_path: str, mmap: bool = True, layout: Optional[str] = None
) -> np.ndarray:
    """Open a numeric ``(N, C, T, V, M)`` ``.npy`` array and check it.

    Args:
        data_path (str): The ``.npy`` file.
        mmap (bool): Memory-map it instead of loading it. Defaults to True.
        layout (str, optional): When given, V must match this graph layout.

    Returns:
        np.ndarray: The array (a read-only memory map when ``mmap``).
    """
    if not osp.isfile(data_path):
        raise SkeletonFileNotFoundError(
            f'data_path: skeleton file {data_path!r} not found'
        )
    with open(data_path, 'rb') as file:
        magic = file.read(len(_NPY_MAGIC))
    if magic != _NPY_MAGIC:
        raise SkeletonDataError(
            f'data_path {data_path!r}: not a .npy file (it does not start '
            f'with the .npy magic bytes {_NPY_MAGIC!r}; got {magic!r})'
        )
    try:
        array = np.load(
            data_path, mmap_mode='r' if mmap else None, allow_pickle=False
        )
    except (ValueError, EOFError, OSError) as error:
        # e.g. a truncated file: the header or the data is cut short
        raise SkeletonDataError(
            f'data_path {data_path!r}: not a readable numeric .npy array '
            f'({type(error).__name__}: {error})'
        ) from error
    if array.ndim != 5:
        raise SkeletonDataError(
            f'data_path {data_path!r}: expected a 5-D array (N, C, T, V, M), '
            f'got shape {array.shape}'
        )
    check_skeleton_values(f'data_path {data_path!r}', array.shape,
                          array.dtype)
    check_joint_count(f'data_path {data_path!r}', array.shape, 3, layout)
    return array


def load_label_pair(
    label_path: str, num_classes: Optional[int] = None
) -> Tuple[List[str], List[int]]:
    """Load a ``(sample_names, labels)`` pickle safely and check the labels.

    Args:
        label_path (str): The pickle, loaded with
            :func:`stgcn_reg.utils.safe_load_pickle`.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.

    Returns:
        tuple: The sample names (as given) and the labels as ints.
    """
    if not osp.isfile(label_path):
        raise SkeletonFileNotFoundError(
            f'label_path: label file {label_path!r} not found'
        )
    content = safe_load_pickle(label_path)
    if not (isinstance(content, (tuple, list)) and len(content) == 2):
        raise SkeletonDataError(
            f'label_path {label_path!r}: expected a pickled '
            '(sample_names, labels) pair, got '
            f'{type(content).__name__} {describe(content)}'
        )
    names, raw_labels = content
    if len(names) != len(raw_labels):
        raise SkeletonDataError(
            f'label_path {label_path!r}: {len(names)} sample names but '
            f'{len(raw_labels)} labels'
        )
    where = f'label_path {label_path!r}'
    labels = check_labels(where, raw_labels, num_classes)
    return list(names), labels


def check_label_count(label_path: str, num_labels: int, data_path: str,
                      num_samples: int) -> None:
    """Raise unless the label file has one label per sample."""
    if num_labels != num_samples:
        raise SkeletonDataError(
            f'label_path {label_path!r} has {num_labels} labels but '
            f'data_path {data_path!r} has {num_samples} samples (axis 0); '
            'they must match'
        )


class NpyStore(SkeletonStore):
    """Samples of a ``.npy`` array, with names and labels from its pickle.

    Args:
        data_path (str): Numeric ``(N, C, T, V, M)`` ``.npy``.
        label_path (str, optional): Pickle of ``(sample_names, labels)``,
            loaded with the restricted unpickler; without it the store has
            no names or labels.
        mmap (bool): Memory-map the array (reopened in each process after
            pickling) instead of loading it. Defaults to True.
        layout (str, optional): When given, V must match this layout.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.

    Examples:
        >>> store = NpyStore('val_data.npy', 'val_label.pkl')
        >>> len(store), store.names[0], store.read(0).shape
        (16487, 'S001C001P001R001A001.skeleton', (3, 300, 25, 2))
    """

    def __init__(self,
                 data_path: str,
                 label_path: Optional[str] = None,
                 mmap: bool = True,
                 layout: Optional[str] = None,
                 num_classes: Optional[int] = None) -> None:
        self.path = data_path
        self.label_path = label_path
        self.mmap = mmap
        self.layout = layout
        self.where = f'data_path {data_path!r}'
        self.names = self.labels = None
        if label_path is not None:
            names, self.labels = load_label_pair(label_path, num_classes)
            self.names = [str(name) for name in names]
        self._array: Optional[np.ndarray] = None
        num_samples = len(self.array)
        check_has_samples(self.where, num_samples)
        if self.labels is not None:
            check_label_count(label_path, len(self.labels), data_path,
                              num_samples)

    @property
    def array(self) -> np.ndarray:
        """The ``(N, C, T, V, M)`` array (opened on first use)."""
        if self._array is None:
            self._array = open_skeleton_array(self.path, self.mmap,
                                              self.layout)
        return self._array

    @property
    def opened_array(self) -> Optional[np.ndarray]:
        """The array if this process has it open, else None."""
        return self._array

    def __len__(self) -> int:
        return int(self.array.shape[0])

    @property
    def sample_shape(self) -> Tuple[int, ...]:
        """``(C, T, V, M)`` of every sample."""
        return tuple(self.array.shape[1:])

    @property
    def dtype(self) -> np.dtype:
        """dtype of the stored array."""
        return self.array.dtype

    def _read(self, index: int) -> np.ndarray:
        return np.array(self.array[index], dtype=np.float32)

    def close(self) -> None:
        """Drop the memory map; a loaded array stays."""
        if self.mmap:
            self._array = None

    def __getstate__(self) -> dict:
        # reopen the memory map in the new process instead of pickling it
        state = self.__dict__.copy()
        state['_array'] = None if self.mmap else state['_array']
        return state
