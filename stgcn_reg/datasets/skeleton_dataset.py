"""Feeder of skeletons stored as ``.npy`` + ``(names, labels)`` pickle."""
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dataset import BaseDataset

from stgcn_reg.graphs.layouts import get_layout
from stgcn_reg.registry import DATASETS
from stgcn_reg.utils import safe_load_pickle


def _describe(value: Any) -> str:
    """Short description of a value's size for error messages."""
    return f'of length {len(value)}' if hasattr(value, '__len__') else ''


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

    def __init__(self,
                 data_path: str,
                 label_path: str,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 num_classes: Optional[int] = None,
                 layout: Optional[str] = None,
                 mmap: bool = True,
                 data_root: Optional[str] = None,
                 test_mode: bool = False,
                 indices: Optional[Union[int, Sequence[int]]] = None,
                 lazy_init: bool = False) -> None:
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
            lazy_init=lazy_init)

    @property
    def data(self) -> np.ndarray:
        """The ``(N, C, T, V, M)`` array, opened lazily in each process."""
        if self._data is None:
            self._data = self._open_array()
        return self._data

    def _open_array(self) -> np.ndarray:
        if not osp.isfile(self.data_path):
            raise FileNotFoundError(
                f'data_path: skeleton file {self.data_path!r} not found')
        try:
            array = np.load(
                self.data_path,
                mmap_mode='r' if self.mmap else None,
                allow_pickle=False)
        except ValueError as error:
            raise ValueError(
                f'data_path {self.data_path!r}: not a plain numeric .npy '
                f'array ({error})') from error
        if array.ndim != 5:
            raise ValueError(
                f'data_path {self.data_path!r}: expected a 5-D array '
                f'(N, C, T, V, M), got shape {array.shape}')
        if not np.issubdtype(array.dtype, np.number):
            raise ValueError(
                f'data_path {self.data_path!r}: expected a numeric array, '
                f'got dtype {array.dtype}')
        if self.layout is not None:
            expected = get_layout(self.layout).num_node
            if array.shape[3] != expected:
                raise ValueError(
                    f'data_path {self.data_path!r}: has V={array.shape[3]} '
                    f'joints (shape {array.shape}, axis 3) but graph layout '
                    f'{self.layout!r} has {expected} joints')
        return array

    def load_data_list(self) -> List[dict]:
        """Read and check labels; one entry per sample (data stays on disk)."""
        names, labels = self._load_labels()
        num_samples = self.data.shape[0]
        if len(labels) != num_samples:
            raise ValueError(
                f'label_path {self.label_path!r} has {len(labels)} labels '
                f'but data_path {self.data_path!r} has {num_samples} '
                'samples (axis 0); they must match')
        return [
            dict(sample_idx=i, sample_name=str(name), label=label)
            for i, (name, label) in enumerate(zip(names, labels))
        ]

    def _load_labels(self):
        if not osp.isfile(self.label_path):
            raise FileNotFoundError(
                f'label_path: label file {self.label_path!r} not found')
        content = safe_load_pickle(self.label_path)
        if not (isinstance(content, (tuple, list)) and len(content) == 2):
            raise ValueError(
                f'label_path {self.label_path!r}: expected a pickled '
                '(sample_names, labels) pair, got '
                f'{type(content).__name__} {_describe(content)}')
        names, raw_labels = content
        if len(names) != len(raw_labels):
            raise ValueError(
                f'label_path {self.label_path!r}: {len(names)} sample names '
                f'but {len(raw_labels)} labels')
        labels = []
        for position, label in enumerate(raw_labels):
            labels.append(self._check_label(position, label))
        return list(names), labels

    def _check_label(self, position: int, label: Any) -> int:
        if isinstance(label, (bool, np.bool_)) or not isinstance(
                label, (int, np.integer)):
            raise ValueError(
                f'label_path {self.label_path!r}: label #{position} is '
                f'{label!r}; expected an integer class index')
        if label < 0 or (self.num_classes is not None
                         and label >= self.num_classes):
            upper = self.num_classes if self.num_classes else 'num_classes'
            raise ValueError(
                f'label_path {self.label_path!r}: label #{position} is '
                f'{int(label)}, outside [0, {upper})')
        return int(label)

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Load one sample, run the pipeline, pack it for the model."""
        info = self.get_data_info(idx)
        keypoint = np.array(self.data[info['sample_idx']], dtype=np.float32)
        results = self.pipeline(dict(info, keypoint=keypoint))
        return dict(
            inputs=torch.from_numpy(
                np.ascontiguousarray(results['keypoint'], np.float32)),
            data_samples=dict(
                label=results['label'],
                index=idx,
                sample_name=results['sample_name']))

    def __getstate__(self) -> dict:
        # reopen the memory map in worker processes instead of pickling it
        state = self.__dict__.copy()
        state['_data'] = None if self.mmap else state['_data']
        return state
