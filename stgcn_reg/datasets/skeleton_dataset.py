"""Feeder of skeletons stored as ``.npy`` + ``(names, labels)`` pickle."""

import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.dataset import BaseDataset

from stgcn_reg.registry import DATASETS

from .feeder_checks import (
    check_finite_sample,
    check_has_samples,
    load_label_pair,
    open_skeleton_array,
    pack_item,
)


@DATASETS.register_module()
class SkeletonDataset(BaseDataset):
    """Skeleton feeder in the original ST-GCN format.

    ``data_path`` is a float ``.npy`` array of shape ``(N, C, T, V, M)``
    (channels, frames, joints, persons); ``label_path`` a pickle of
    ``(sample_names, labels)`` with 0-based class indices. Each item is
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
        self._data: Optional[np.ndarray] = None
        super().__init__(
            ann_file='',
            metainfo=dict(num_classes=num_classes),
            pipeline=list(pipeline),
            test_mode=test_mode,
            indices=indices,
            lazy_init=lazy_init,
        )

    @property
    def data(self) -> np.ndarray:
        """The ``(N, C, T, V, M)`` array, opened lazily in each process."""
        if self._data is None:
            self._data = self._open_array()
        return self._data

    def _open_array(self) -> np.ndarray:
        return open_skeleton_array(self.data_path, self.mmap, self.layout)

    def load_data_list(self) -> List[dict]:
        """Read and check labels; one entry per sample (data stays on disk)."""
        names, labels = self._load_labels()
        num_samples = self.data.shape[0]
        check_has_samples(f'data_path {self.data_path!r}', num_samples)
        if len(labels) != num_samples:
            raise ValueError(
                f'label_path {self.label_path!r} has {len(labels)} labels '
                f'but data_path {self.data_path!r} has {num_samples} '
                'samples (axis 0); they must match'
            )
        return [
            dict(sample_idx=i, sample_name=str(name), label=label)
            for i, (name, label) in enumerate(zip(names, labels))
        ]

    def _load_labels(self) -> Tuple[List[str], List[int]]:
        return load_label_pair(self.label_path, self.num_classes)

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Load one sample, run the pipeline, pack it for the model."""
        info = self.get_data_info(idx)
        keypoint = np.array(self.data[info['sample_idx']], dtype=np.float32)
        check_finite_sample(
            f'data_path {self.data_path!r}', info['sample_idx'], keypoint
        )
        results = self.pipeline(dict(info, keypoint=keypoint))
        return pack_item(results, idx)

    def __getstate__(self) -> dict:
        # reopen the memory map in worker processes instead of pickling it
        state = self.__dict__.copy()
        state['_data'] = None if self.mmap else state['_data']
        return state
