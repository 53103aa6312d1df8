"""Feeder of MMAction2 / PYSKL skeleton annotation pickles."""

import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset

from stgcn_reg.registry import DATASETS

from .feeder_checks import (
    check_finite_sample,
    check_has_samples,
    check_skeleton_values,
    pack_item,
)
from .formats.pose_annotations_to_npy import (
    check_pose_options,
    load_pose_annotations,
    pose_to_skeleton,
)


@DATASETS.register_module()
class PoseAnnotationDataset(BaseDataset):
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
    fewer are zero-padded.

    The pickle is loaded with :func:`stgcn_reg.utils.safe_load_pickle`,
    which refuses anything but plain data.

    Args:
        ann_file (str): The annotation pickle.
        split (str, optional): Split name, e.g. ``'xsub_train'``; samples
            keep the file's order. None takes every annotation (the only
            choice for a plain-list file). Defaults to None.
        pipeline (sequence): Transforms applied to ``dict(keypoint=...)``.
            Defaults to none.
        num_classes (int, optional): When given, labels must lie in
            ``[0, num_classes)``.
        layout (str, optional): Graph layout name; when given, the joint
            count V must match it.
        max_persons (int): Persons M of every sample. Defaults to 2.
        num_frames (int, optional): When given, every sample is cropped
            or zero-padded to this many frames T, so that samples batch;
            otherwise T is the clip's length. Defaults to None.
        data_root (str, optional): Prefix of a relative ``ann_file``.
        test_mode (bool): mmengine test mode. Defaults to False.
        indices (int | sequence, optional): Keep only these samples (an
            int keeps the first ones), e.g. for a quick debug run.
        lazy_init (bool): Defer loading to the first use. Defaults to
            False.

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
        pipeline: Sequence[Union[dict, Callable]] = (),
        num_classes: Optional[int] = None,
        layout: Optional[str] = None,
        max_persons: int = 2,
        num_frames: Optional[int] = None,
        data_root: Optional[str] = None,
        test_mode: bool = False,
        indices: Optional[Union[int, Sequence[int]]] = None,
        lazy_init: bool = False,
    ) -> None:
        check_pose_options(max_persons, num_frames)
        self.split = split
        self.num_classes = num_classes
        self.layout = layout
        self.max_persons = max_persons
        self.num_frames = num_frames
        super().__init__(
            ann_file=osp.join(data_root or '', ann_file),
            metainfo=dict(num_classes=num_classes),
            pipeline=list(pipeline),
            test_mode=test_mode,
            indices=indices,
            lazy_init=lazy_init,
        )

    def load_data_list(self) -> List[dict]:
        """Load the split, check every annotation, keep the raw poses."""
        annotations = load_pose_annotations(
            self.ann_file, self.split, self.num_classes, self.layout
        )
        where = f'ann_file {self.ann_file!r} split {self.split!r}'
        check_has_samples(where, len(annotations))
        data_list = []
        for index, annotation in enumerate(annotations):
            keypoint = annotation['keypoint']
            check_skeleton_values(
                f'{where}, annotation #{index} (frame_dir '
                f"{annotation['frame_dir']!r}) field 'keypoint'",
                keypoint.shape, keypoint.dtype, axes='MTVC')
            # 3D poses fill all three channels; a score would not fit
            is_2d = keypoint.shape[3] == 2
            score = annotation.get('keypoint_score') if is_2d else None
            data_list.append(
                dict(
                    sample_idx=index,
                    sample_name=str(annotation['frame_dir']),
                    label=int(annotation['label']),
                    keypoint=keypoint,
                    keypoint_score=score,
                )
            )
        return data_list

    def prepare_data(self, idx: int) -> Dict[str, Any]:
        """Build one ``(3, T, V, M)`` sample, run the pipeline, pack it."""
        info = self.get_data_info(idx)
        keypoint = pose_to_skeleton(
            info['keypoint'],
            info['keypoint_score'],
            self.max_persons,
            self.num_frames,
        )
        check_finite_sample(
            f'ann_file {self.ann_file!r}', info['sample_idx'], keypoint
        )
        # the same keys as the npy feeder gives its pipeline
        results = self.pipeline(
            dict(
                sample_idx=info['sample_idx'],
                sample_name=info['sample_name'],
                label=info['label'],
                keypoint=keypoint,
            )
        )
        return pack_item(results, idx)
