"""Feeder of skeletons stored as ``.npy`` + ``(names, labels)`` pickle."""

import os.path as osp
from typing import Callable, Optional, Sequence, Union

import numpy as np

from stgcn_reg.registry import DATASETS

from .storage import NpyStore
from .store_dataset import StoreDataset


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
        pipeline (sequence): Transforms applied to ``dict(keypoint=...)``.
            Defaults to none.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): Graph layout name; when given, the joint
            count V must match it.
        mmap (bool): Memory-map the array instead of loading it, so a
            many-GB file does not fill RAM. Defaults to True.
        data_root (str, optional): Prefix of relative paths.
        test_mode (bool): mmengine test mode. Defaults to False.
        indices (int | sequence, optional): Keep only these samples (an
            int keeps the first ones), e.g. for a quick debug run.
        lazy_init (bool): Defer loading to the first use. Defaults to
            False.

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
        pipeline: Sequence[Union[dict, Callable]] = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        mmap: bool = True,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Optional[Union[int, Sequence[int]]] = None,
        lazy_init: bool = False,
    ) -> None:
        root = data_root or ''
        self.data_path = osp.join(root, data_path)
        self.label_path = osp.join(root, label_path)
        self.num_classes = num_classes
        self.layout = layout
        self.mmap = mmap
        super().__init__(
            ann_file='',
            metainfo=dict(num_classes=num_classes),
            pipeline=list(pipeline),
            test_mode=test_mode,
            indices=indices,
            lazy_init=lazy_init,
        )

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
