"""Samples in one HDF5 file: ``data``, ``label`` and ``sample_name``."""
import os
import os.path as osp
from typing import List, Optional, Tuple

import h5py
import numpy as np

from ..feeder_checks import (
    SkeletonDataError,
    SkeletonFileNotFoundError,
    check_has_samples,
    check_joint_count,
    check_labels,
    check_skeleton_values,
)
from .base import SkeletonStore

# the dataset names written by converters.npy_to_h5 and read by default
DATA_KEY, LABEL_KEY, NAME_KEY = 'data', 'label', 'sample_name'


class H5Store(SkeletonStore):
    """Samples of an HDF5 file, read one at a time.

    The file holds ``data``, float ``(N, C, T, V, M)`` (best chunked per
    sample); ``label``, ``(N,)`` integer class indices; and
    ``sample_name``, ``(N,)`` strings. Labels and names are read when the
    store is built; each :meth:`read` reads one sample through this
    process's own handle (opened on first use, never pickled, replaced
    after a fork).

    Args:
        path (str): The HDF5 file.
        data_key (str): Name of the skeleton dataset. Defaults to
            ``'data'``.
        label_key (str): Name of the label dataset. Defaults to
            ``'label'``.
        name_key (str): Name of the sample-name dataset. Defaults to
            ``'sample_name'``.
        layout (str, optional): When given, V must match this layout.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
    """

    def __init__(self,
                 path: str,
                 data_key: str = DATA_KEY,
                 label_key: str = LABEL_KEY,
                 name_key: str = NAME_KEY,
                 layout: Optional[str] = None,
                 num_classes: Optional[int] = None) -> None:
        self.path = path
        self.data_key, self.label_key, self.name_key = (data_key, label_key,
                                                        name_key)
        self.layout = layout
        self.where = f'data_path {path!r} dataset {data_key!r}'
        self._file: Optional[h5py.File] = None
        self._file_pid: Optional[int] = None
        with self._open() as file:
            data = self._dataset(file, data_key)
            self._check_data(data)
            self._shape, self._dtype = tuple(data.shape), data.dtype
            labels = self._read_labels(file)
            self.names = self._read_names(file)
        self._check_counts(len(labels))
        where = f'data_path {path!r} dataset {label_key!r}'
        self.labels = check_labels(where, labels, num_classes)

    @property
    def file(self) -> h5py.File:
        """The open HDF5 file of this process (opened on first use)."""
        # A handle inherited through fork shares HDF5 state with the parent;
        # each process reads through its own.
        if self._file is None or self._file_pid != os.getpid():
            self._file = self._open()
            self._file_pid = os.getpid()
        return self._file

    def close(self) -> None:
        """Close this process's file handle; the next read reopens it."""
        if self._file is not None and self._file_pid == os.getpid():
            self._file.close()
        self._file = None
        self._file_pid = None

    def __len__(self) -> int:
        return self._shape[0]

    @property
    def sample_shape(self) -> Tuple[int, ...]:
        """``(C, T, V, M)`` of every sample."""
        return self._shape[1:]

    @property
    def dtype(self) -> np.dtype:
        """dtype of the ``data`` dataset."""
        return self._dtype

    def _read(self, index: int) -> np.ndarray:
        return np.asarray(self.file[self.data_key][index], dtype=np.float32)

    def _open(self) -> h5py.File:
        if not osp.isfile(self.path):
            raise SkeletonFileNotFoundError(
                f'data_path: HDF5 file {self.path!r} not found'
            )
        try:
            return h5py.File(self.path, 'r')
        except OSError as error:
            raise SkeletonDataError(
                f'data_path {self.path!r}: not a readable HDF5 file '
                f'({error})'
            ) from error

    def _dataset(self, file: h5py.File, key: str) -> h5py.Dataset:
        """The dataset ``key`` of ``file``, or an error listing the keys."""
        node = file.get(key)
        if not isinstance(node, h5py.Dataset):
            raise KeyError(
                f'data_path {self.path!r}: no dataset {key!r}; the '
                f'file has {sorted(file.keys())}'
            )
        return node

    def _check_data(self, data: h5py.Dataset) -> None:
        if data.ndim != 5:
            raise SkeletonDataError(
                f'{self.where}: expected a 5-D array (N, C, T, V, M), got '
                f'shape {data.shape}'
            )
        check_skeleton_values(self.where, data.shape, data.dtype)
        check_joint_count(self.where, data.shape, 3, self.layout)

    def _read_labels(self, file: h5py.File) -> np.ndarray:
        dataset = self._dataset(file, self.label_key)
        if dataset.ndim != 1 or not np.issubdtype(dataset.dtype, np.integer):
            raise SkeletonDataError(
                f'data_path {self.path!r}: dataset {self.label_key!r} '
                'must be 1-D (N,) integer class indices, got shape '
                f'{dataset.shape} of dtype {dataset.dtype}'
            )
        return dataset[()]

    def _read_names(self, file: h5py.File) -> List[str]:
        dataset = self._dataset(file, self.name_key)
        if dataset.ndim != 1 or h5py.check_string_dtype(dataset.dtype) is None:
            raise SkeletonDataError(
                f'data_path {self.path!r}: dataset {self.name_key!r} '
                'must be 1-D (N,) strings, got shape '
                f'{dataset.shape} of dtype {dataset.dtype}'
            )
        return [str(name) for name in dataset.asstr()[()]]

    def _check_counts(self, num_labels: int) -> None:
        """Raise if there are no samples, or not one label and name each."""
        num_samples = len(self)
        check_has_samples(self.where, num_samples)
        for key, count in ((self.label_key, num_labels),
                           (self.name_key, len(self.names))):
            if count != num_samples:
                raise SkeletonDataError(
                    f'data_path {self.path!r}: dataset {key!r} '
                    f'has {count} entries but {self.data_key!r} '
                    f'has {num_samples} samples (axis 0); they must '
                    'match'
                )

    def __getstate__(self) -> dict:
        # an open h5py file cannot be pickled; each process opens its own
        state = self.__dict__.copy()
        state['_file'] = None
        state['_file_pid'] = None
        return state
