"""Feeder of skeletons stored in one HDF5 file (data, labels and names)."""

import os
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import h5py
import numpy as np
from mmengine.dataset import BaseDataset

from stgcn_reg.registry import DATASETS

from .feeder_checks import (
    check_finite_sample,
    check_has_samples,
    check_joint_count,
    check_labels,
    check_skeleton_values,
    pack_item,
)


@DATASETS.register_module()
class H5SkeletonDataset(BaseDataset):
    """Skeleton feeder reading an HDF5 file sample by sample.

    The file holds three datasets: ``data``, float ``(N, C, T, V, M)``
    (best chunked per sample, ``chunks=(1, C, T, V, M)``, as
    :func:`~stgcn_reg.datasets.formats.npy_to_h5.convert_npy_to_h5` writes
    it); ``label``, ``(N,)`` 0-based integer class indices; and
    ``sample_name``, ``(N,)`` strings. Only labels and names are read at
    start; each item reads one sample. Items are the same as
    :class:`~stgcn_reg.datasets.SkeletonDataset`'s:
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label, index,
    sample_name))`` after the per-sample ``pipeline``.

    The file is opened on first use in each process and never pickled, so
    the dataset works with any number of DataLoader workers (forked or
    spawned).

    Args:
        data_path (str): The HDF5 file.
        pipeline (sequence): Transforms applied to ``dict(keypoint=...)``.
            Defaults to none.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): Graph layout name; when given, the joint
            count V must match it.
        data_root (str, optional): Prefix of a relative ``data_path``.
        test_mode (bool): mmengine test mode. Defaults to False.
        indices (int | sequence, optional): Keep only these samples (an
            int keeps the first ones), e.g. for a quick debug run.
        lazy_init (bool): Defer loading to the first use. Defaults to
            False.
        data_key (str): Name of the skeleton dataset. Defaults to
            ``'data'``.
        label_key (str): Name of the label dataset. Defaults to
            ``'label'``.
        name_key (str): Name of the sample-name dataset. Defaults to
            ``'sample_name'``.

    Examples:
        >>> dataset = H5SkeletonDataset('train.h5', num_classes=60,
        ...                             layout='ntu-rgb+d')
        >>> dataset[0]['inputs'].shape
        torch.Size([3, 300, 25, 2])
    """

    def __init__(
        self,
        data_path: str,
        pipeline: Sequence[Union[dict, Callable]] = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Optional[Union[int, Sequence[int]]] = None,
        lazy_init: bool = False,
        data_key: str = 'data',
        label_key: str = 'label',
        name_key: str = 'sample_name',
    ) -> None:
        self.data_path = osp.join(data_root or '', data_path)
        self.num_classes = num_classes
        self.layout = layout
        self.data_key = data_key
        self.label_key = label_key
        self.name_key = name_key
        self._file: Optional[h5py.File] = None
        self._file_pid: Optional[int] = None
        super().__init__(
            ann_file='',
            metainfo=dict(num_classes=num_classes),
            pipeline=list(pipeline),
            test_mode=test_mode,
            indices=indices,
            lazy_init=lazy_init,
        )

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

    def _open(self) -> h5py.File:
        if not osp.isfile(self.data_path):
            raise FileNotFoundError(
                f'data_path: HDF5 file {self.data_path!r} not found'
            )
        try:
            return h5py.File(self.data_path, 'r')
        except OSError as error:
            raise ValueError(
                f'data_path {self.data_path!r}: not a readable HDF5 file '
                f'({error})'
            ) from error

    def _dataset(self, file: h5py.File, key: str) -> h5py.Dataset:
        """The dataset ``key`` of ``file``, or an error listing the keys."""
        node = file.get(key)
        if not isinstance(node, h5py.Dataset):
            raise KeyError(
                f'data_path {self.data_path!r}: no dataset {key!r}; the '
                f'file has {sorted(file.keys())}'
            )
        return node

    def load_data_list(self) -> List[dict]:
        """Read and check labels and names; the skeletons stay on disk."""
        with self._open() as file:
            data = self._dataset(file, self.data_key)
            self._check_data(data)
            labels = self._read_labels(file)
            names = self._read_names(file)
            num_samples = data.shape[0]
            check_has_samples(
                f'data_path {self.data_path!r} dataset {self.data_key!r}',
                num_samples,
            )
            for key, values in (
                (self.label_key, labels),
                (self.name_key, names),
            ):
                if len(values) != num_samples:
                    raise ValueError(
                        f'data_path {self.data_path!r}: dataset {key!r} '
                        f'has {len(values)} entries but {self.data_key!r} '
                        f'has {num_samples} samples (axis 0); they must '
                        'match'
                    )
        where = f'data_path {self.data_path!r} dataset {self.label_key!r}'
        checked = check_labels(where, labels, self.num_classes)
        return [
            dict(sample_idx=i, sample_name=name, label=label)
            for i, (name, label) in enumerate(zip(names, checked))
        ]

    def _check_data(self, data: h5py.Dataset) -> None:
        where = f'data_path {self.data_path!r} dataset {self.data_key!r}'
        if data.ndim != 5:
            raise ValueError(
                f'{where}: expected a 5-D array (N, C, T, V, M), got shape '
                f'{data.shape}'
            )
        check_skeleton_values(where, data.shape, data.dtype)
        check_joint_count(where, data.shape, 3, self.layout)

    def _read_labels(self, file: h5py.File) -> np.ndarray:
        dataset = self._dataset(file, self.label_key)
        if dataset.ndim != 1 or not np.issubdtype(dataset.dtype, np.integer):
            raise ValueError(
                f'data_path {self.data_path!r}: dataset {self.label_key!r} '
                'must be 1-D (N,) integer class indices, got shape '
                f'{dataset.shape} of dtype {dataset.dtype}'
            )
        return dataset[()]

    def _read_names(self, file: h5py.File) -> List[str]:
        dataset = self._dataset(file, self.name_key)
        if dataset.ndim != 1 or h5py.check_string_dtype(dataset.dtype) is None:
            raise ValueError(
                f'data_path {self.data_path!r}: dataset {self.name_key!r} '
                'must be 1-D (N,) strings, got shape '
                f'{dataset.shape} of dtype {dataset.dtype}'
            )
        return [str(name) for name in dataset.asstr()[()]]

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Read one sample, run the pipeline, pack it for the model."""
        info = self.get_data_info(idx)
        sample = self.file[self.data_key][info['sample_idx']]
        keypoint = np.asarray(sample, dtype=np.float32)
        check_finite_sample(
            f'data_path {self.data_path!r} dataset {self.data_key!r}',
            info['sample_idx'],
            keypoint,
        )
        results = self.pipeline(dict(info, keypoint=keypoint))
        return pack_item(results, idx)

    def __getstate__(self) -> dict:
        # an open h5py file cannot be pickled; workers open their own
        state = self.__dict__.copy()
        state['_file'] = None
        state['_file_pid'] = None
        return state
