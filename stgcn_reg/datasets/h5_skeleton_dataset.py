"""Feeder of skeletons stored in one HDF5 file (data, labels and names)."""

import os.path as osp
from typing import Optional

import h5py

from stgcn_reg.registry import DATASETS

from .storage import H5Store
from .store_dataset import Indices, Pipeline, StoreDataset


@DATASETS.register_module()
class H5SkeletonDataset(StoreDataset):
    """Skeleton feeder reading an HDF5 file sample by sample.

    The file holds three datasets: ``data``, float ``(N, C, T, V, M)``
    (best chunked per sample, ``chunks=(1, C, T, V, M)``, as
    :func:`~stgcn_reg.datasets.converters.npy_to_h5.convert_npy_to_h5`
    writes it); ``label``, ``(N,)`` 0-based integer class indices; and
    ``sample_name``, ``(N,)`` strings, read as
    :class:`~stgcn_reg.datasets.storage.H5Store` reads them. Only labels
    and names are read at start; each item reads one sample. Items are
    the same as :class:`~stgcn_reg.datasets.SkeletonDataset`'s:
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label, index,
    sample_name))`` after the per-sample ``pipeline``.

    The file is opened on first use in each process and never pickled, so
    the dataset works with any number of DataLoader workers (forked or
    spawned).

    Args:
        data_path (str): The HDF5 file.
        data_root (str, optional): Prefix of a relative ``data_path``.
        pipeline, num_classes, layout, test_mode, indices, lazy_init: As
            :class:`~stgcn_reg.datasets.store_dataset.StoreDataset`'s.
        data_key, label_key, name_key (str): The names of the skeleton,
            label and sample-name datasets in the file. Default to
            ``'data'``, ``'label'`` and ``'sample_name'``.

    Examples:
        >>> dataset = H5SkeletonDataset('train.h5', num_classes=60,
        ...                             layout='ntu-rgb+d')
        >>> dataset[0]['inputs'].shape
        torch.Size([3, 300, 25, 2])
    """

    def __init__(
        self,
        data_path: str,
        pipeline: Pipeline = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Indices = None,
        lazy_init: bool = False,
        data_key: str = 'data',
        label_key: str = 'label',
        name_key: str = 'sample_name',
    ) -> None:
        self.data_path = osp.join(data_root or '', data_path)
        self.data_key = data_key
        self.label_key = label_key
        self.name_key = name_key
        super().__init__(pipeline, num_classes, layout, test_mode, indices,
                         lazy_init)

    def _open_store(self) -> H5Store:
        return H5Store(self.data_path, self.data_key, self.label_key,
                       self.name_key, self.layout, self.num_classes)

    @property
    def file(self) -> h5py.File:
        """The open HDF5 file of this process (opened on first use)."""
        return self.store.file

    def close(self) -> None:
        """Close this process's file handle; the next read reopens it."""
        if self._store is not None:
            self._store.close()

    @property
    def _file(self) -> Optional[h5py.File]:
        """The store's handle if one is open, else None."""
        return None if self._store is None else self._store._file

    @property
    def _file_pid(self) -> Optional[int]:
        """The process the open handle belongs to."""
        return None if self._store is None else self._store._file_pid

    @_file_pid.setter
    def _file_pid(self, pid: Optional[int]) -> None:
        self.store._file_pid = pid
