"""Feeder of skeletons stored as ``.npy`` + ``(names, labels)`` pickle."""

import os.path as osp
from typing import Optional

import numpy as np

from stgcn_reg.registry import DATASETS

from .storage import NpyStore
from .store_dataset import Indices, Pipeline, StoreDataset


@DATASETS.register_module()
class SkeletonDataset(StoreDataset):
    """Skeleton feeder in the original ST-GCN format.

    ``data_path`` is a float ``.npy`` array of shape ``(N, C, T, V, M)``
    (channels, frames, joints, persons); ``label_path`` a pickle of
    ``(sample_names, labels)`` with 0-based class indices, read as
    :class:`~stgcn_reg.datasets.storage.NpyStore` reads them. Each item is
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label, index,
    sample_name))`` after the per-sample ``pipeline``.

    Args:
        data_path (str): The ``.npy`` skeleton array.
        label_path (str): The label pickle.
        mmap (bool): Memory-map the array instead of loading it, so a
            many-GB file does not fill RAM. Defaults to True.
        data_root (str, optional): Prefix of relative paths.
        pipeline, num_classes, layout, test_mode, indices, lazy_init: As
            :class:`~stgcn_reg.datasets.store_dataset.StoreDataset`'s.

    Examples:
        >>> dataset = SkeletonDataset('train_data.npy', 'train_label.pkl',
        ...                           num_classes=60, layout='ntu-rgb+d')
        >>> dataset[0]['inputs'].shape
        torch.Size([3, 300, 25, 2])
    """

    def __init__(
        self,
        data_path: str,
        label_path: str,
        pipeline: Pipeline = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        mmap: bool = True,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Indices = None,
        lazy_init: bool = False,
    ) -> None:
        root = data_root or ''
        self.data_path = osp.join(root, data_path)
        self.label_path = osp.join(root, label_path)
        self.mmap = mmap
        super().__init__(pipeline, num_classes, layout, test_mode, indices,
                         lazy_init)

    def _open_store(self) -> NpyStore:
        return NpyStore(self.data_path, self.label_path, self.mmap,
                        self.layout, self.num_classes)

    @property
    def data(self) -> np.ndarray:
        """The ``(N, C, T, V, M)`` array, opened lazily in each process."""
        return self.store.array

    @property
    def _data(self) -> Optional[np.ndarray]:
        """The array if this process has opened it yet, else None."""
        return None if self._store is None else self._store.opened_array
