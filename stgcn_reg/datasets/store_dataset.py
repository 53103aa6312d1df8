"""The feeder base class: a dataset over a :class:`SkeletonStore`."""
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset

from .feeder_checks import pack_item
from .storage import SkeletonStore

# the per-sample transforms of a feeder: configs or callables
Pipeline = Sequence[Union[dict, Callable]]
# the samples a feeder keeps: an int keeps the first ones
Indices = Optional[Union[int, Sequence[int]]]


class StoreDataset(BaseDataset):
    """A skeleton feeder whose samples, names and labels live in a store.

    Subclasses say which store in :meth:`_open_store`. Each item is
    ``dict(inputs=Tensor(C, T, V, M), data_samples=dict(label, index,
    sample_name))`` after the per-sample ``pipeline``, which gets
    ``sample_idx``, ``sample_name``, ``label`` and ``keypoint``.

    Args:
        pipeline (sequence): Transforms applied to ``dict(keypoint=...)``.
            Defaults to none.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): Graph layout name; when given, the joint
            count V must match it.
        test_mode (bool): mmengine test mode. Defaults to False.
        indices (int | sequence, optional): Keep only these samples (an
            int keeps the first ones), e.g. for a quick debug run.
        lazy_init (bool): Defer loading to the first use. Defaults to
            False.
        ann_file (str): mmengine's annotation file, where the store has
            one. Defaults to none.
    """

    _store: Optional[SkeletonStore] = None

    def __init__(self,
                 pipeline: Pipeline = (),
                 num_classes: Optional[int] = None,
                 layout: Optional[str] = None,
                 test_mode: bool = False,
                 indices: Indices = None,
                 lazy_init: bool = False,
                 ann_file: str = '') -> None:
        self.num_classes = num_classes
        self.layout = layout
        super().__init__(
            ann_file=ann_file,
            metainfo=dict(num_classes=num_classes),
            pipeline=list(pipeline),
            test_mode=test_mode,
            indices=indices,
            lazy_init=lazy_init,
        )

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
