"""The feeder base class: a dataset over a :class:`SkeletonStore`."""
from typing import Any, Dict, List, Optional

from mmengine.dataset import BaseDataset

from .feeder_checks import pack_item
from .storage import SkeletonStore


class StoreDataset(BaseDataset):
    """A skeleton feeder whose samples, names and labels live in a store.

    Subclasses say which store in :meth:`_open_store`. Each item is
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label, index,
    sample_name))`` after the per-sample ``pipeline``, which gets
    ``sample_idx``, ``sample_name``, ``label`` and ``keypoint``.
    """

    _store: Optional[SkeletonStore] = None

    @property
    def store(self) -> SkeletonStore:
        """The samples on disk (the file is checked on first use)."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _open_store(self) -> SkeletonStore:
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        """One entry per stored sample (the samples stay in the store)."""
        store = self.store
        return [
            dict(store_index=i, sample_name=str(name), label=label)
            for i, (name, label) in enumerate(zip(store.names, store.labels))
        ]

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Read one sample, run the pipeline, pack it for the model."""
        info = self.get_data_info(idx)
        # the store's index: sample_idx counts the kept samples only
        keypoint = self.store.read(info.pop('store_index'))
        results = self.pipeline(dict(info, keypoint=keypoint))
        return pack_item(results, idx)
