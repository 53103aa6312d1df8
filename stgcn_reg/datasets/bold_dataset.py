"""Feeder of BOLD skeletons: ``.npy`` + label file of categories/dimensions."""
from typing import Any, Dict, List, Optional

import numpy as np
import torch

from stgcn_reg.registry import DATASETS

from .readers.bold_labels import load_bold_labels
from .skeleton_dataset import SkeletonDataset
from .storage import NpyStore
from .store_dataset import Indices, Pipeline

_TARGET_KEYS = ('categories', 'dimensions')


@DATASETS.register_module()
class BoldDataset(SkeletonDataset):
    """BOLD clips as written by ``tools/bold_gendata.py``.

    ``data_path`` is a float ``(N, 3, T, 18, 1)`` ``.npy`` (x, y,
    confidence); ``label_path`` the label pickle of
    :mod:`stgcn_reg.datasets.readers.bold_labels`. Each item is
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(categories=Tensor
    (26,), dimensions=Tensor(3,), index, sample_name))`` after the
    ``pipeline``; an unlabelled split (test_meta) has no targets.

    Args:
        data_path (str): The ``.npy`` skeleton array.
        label_path (str): The label pickle.
        layout (str, optional): Graph layout name; the joint count V must
            match it. Defaults to ``'openpose'``.
        mmap (bool): Memory-map the array. Defaults to True.
        data_root (str, optional): Prefix of relative paths.
        pipeline, test_mode, indices, lazy_init: As
            :class:`~stgcn_reg.datasets.store_dataset.StoreDataset`'s.

    Examples:
        >>> dataset = BoldDataset('val_data.npy', 'val_label.pkl')
        >>> dataset[0]['data_samples']['categories'].shape
        torch.Size([26])
    """

    def __init__(self,
                 data_path: str,
                 label_path: str,
                 pipeline: Pipeline = (),
                 layout: Optional[str] = 'openpose',
                 mmap: bool = True,
                 data_root: Optional[str] = None,
                 test_mode: bool = False,
                 indices: Indices = None,
                 lazy_init: bool = False) -> None:
        super().__init__(
            data_path, label_path, pipeline=pipeline, layout=layout,
            mmap=mmap, data_root=data_root, test_mode=test_mode,
            indices=indices, lazy_init=lazy_init)

    def _open_store(self) -> NpyStore:
        # the names and targets are in the BOLD label file, not a pair
        return NpyStore(self.data_path, mmap=self.mmap, layout=self.layout)

    def load_data_list(self) -> List[dict]:
        """Read and check the label file; one entry per sample."""
        labels = load_bold_labels(self.label_path)
        names = labels['sample_names']
        num_samples = len(self.store)
        if len(names) != num_samples:
            raise ValueError(
                f'label_path {self.label_path!r} has {len(names)} samples '
                f'but data_path {self.data_path!r} has {num_samples} '
                '(axis 0); they must match')
        self._metainfo.update(
            category_names=labels['category_names'],
            dimension_names=labels['dimension_names'])
        data_list = []
        for i, name in enumerate(names):
            info = dict(store_index=i, sample_name=str(name))
            for key in _TARGET_KEYS:
                if key in labels:
                    info[key] = labels[key][i]
            data_list.append(info)
        return data_list

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Load one sample, run the pipeline, pack it for the model."""
        info = self.get_data_info(idx)
        keypoint = self.store.read(info.pop('store_index'))
        results = self.pipeline(dict(info, keypoint=keypoint))
        samples: Dict[str, Any] = dict(
            index=idx, sample_name=results['sample_name'])
        for key in _TARGET_KEYS:
            if key in results:
                samples[key] = torch.as_tensor(results[key],
                                               dtype=torch.float32)
        keypoint = np.ascontiguousarray(results['keypoint'], np.float32)
        return dict(inputs=torch.from_numpy(keypoint), data_samples=samples)
