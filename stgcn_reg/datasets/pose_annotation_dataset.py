"""Feeder of MMAction2 / PYSKL skeleton annotation pickles."""

import os.path as osp
from typing import List, Optional

import numpy as np

from stgcn_reg.registry import DATASETS

from .readers.pose_annotations import check_pose_options
from .storage import PoseAnnotationStore
from .store_dataset import Indices, Pipeline, StoreDataset


def _check_img_shape(where: str, img_shape) -> tuple:
    """``img_shape`` as a tuple, or raise unless it is (height, width)."""
    if len(np.shape(img_shape)) != 1 or len(img_shape) != 2 or not all(
            isinstance(side, (int, float, np.number)) and side > 0
            for side in img_shape):
        raise ValueError(
            f"{where}: field 'img_shape' must be (height, width), two "
            f'positive numbers, got {img_shape!r}')
    return tuple(img_shape)


@DATASETS.register_module()
class PoseAnnotationDataset(StoreDataset):
    """Skeleton feeder of an MMAction2 / PYSKL annotation pickle.

    ``ann_file`` is a pickled ``dict(split=..., annotations=...)`` as
    MMAction2 and PYSKL distribute them (e.g. ``ntu60_3danno.pkl``), or an
    older plain list of annotation dicts. Each annotation has
    ``frame_dir``, ``label`` and ``keypoint`` ``(M, T, V, C)`` with C=2
    (2D) or 3 (3D), and optionally ``keypoint_score`` ``(M, T, V)``. Items
    are the same as :class:`~stgcn_reg.datasets.SkeletonDataset`'s:
    ``dict(inputs=Tensor(3, T, V, M), data_samples=dict(label, index,
    sample_name=frame_dir))`` after the per-sample ``pipeline``. Channels
    are (x, y, z) for 3D poses and (x, y, score) for 2D poses; a 2D file
    without scores gets score 1 for every detected (nonzero) joint and 0
    for undetected ones. The first ``max_persons`` persons are kept and
    fewer are zero-padded. A clip's ``img_shape`` (the video's ``(height,
    width)``, which PYSKL's 2D pickles carry) reaches the pipeline as
    ``results['img_shape']`` for :class:`PreNormalize2D`.

    The pickle is loaded with :func:`stgcn_reg.utils.safe_load_pickle`,
    which refuses anything but plain data, and read as
    :class:`~stgcn_reg.datasets.storage.PoseAnnotationStore` reads it.

    Args:
        ann_file (str): The annotation pickle.
        split (str, optional): Split name, e.g. ``'xsub_train'``; samples
            keep the file's order. None takes every annotation (the only
            choice for a plain-list file). Defaults to None.
        max_persons (int): Persons M of every sample. Defaults to 2.
        num_frames (int, optional): When given, every sample is cropped
            or zero-padded to this many frames T, so that samples batch;
            otherwise T is the clip's length. Defaults to None.
        data_root (str, optional): Prefix of a relative ``ann_file``.
        pipeline, num_classes, layout, test_mode, indices, lazy_init: As
            :class:`~stgcn_reg.datasets.store_dataset.StoreDataset`'s.

    Examples:
        >>> dataset = PoseAnnotationDataset(
        ...     'ntu60_3danno.pkl', split='xsub_val', num_classes=60,
        ...     layout='ntu-rgb+d', num_frames=300)
        >>> dataset[0]['inputs'].shape
        torch.Size([3, 300, 25, 2])
    """

    def __init__(
        self,
        ann_file: str,
        split: Optional[str] = None,
        pipeline: Pipeline = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        max_persons: int = 2,
        num_frames: Optional[int] = None,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Indices = None,
        lazy_init: bool = False,
    ) -> None:
        check_pose_options(max_persons, num_frames)
        self.split = split
        self.max_persons = max_persons
        self.num_frames = num_frames
        super().__init__(pipeline, num_classes, layout, test_mode, indices,
                         lazy_init, ann_file=osp.join(data_root or '',
                                                      ann_file))

    def load_data_list(self) -> List[dict]:
        """The store's entries, with each clip's ``img_shape`` if any."""
        entries = super().load_data_list()
        for entry, img_shape in zip(entries, self.store.img_shapes):
            if img_shape is not None:
                where = (f'ann_file {self.ann_file!r}, annotation '
                         f"frame_dir {entry['sample_name']!r}")
                entry['img_shape'] = _check_img_shape(where, img_shape)
        return entries

    def _open_store(self) -> PoseAnnotationStore:
        return PoseAnnotationStore(self.ann_file, self.split,
                                   self.num_classes, self.layout,
                                   self.max_persons, self.num_frames)
