"""Convert one split of an MMAction2 / PYSKL pose pickle to ``.npy`` + pkl.

The pickle is read by :mod:`stgcn_reg.datasets.readers.pose_annotations`;
the output is what :class:`~stgcn_reg.datasets.SkeletonDataset` reads.
"""

from typing import List, Optional, Tuple

import numpy as np

from stgcn_reg.utils import atomic_path, write_pickle_atomic

from ..readers.pose_annotations import (
    OUT_CHANNELS,
    check_pose_options,
    load_pose_annotations,
    pose_to_skeleton,
)


def convert_pose_annotations(
    ann_file: str,
    split: Optional[str],
    out_data_path: str,
    out_label_path: str,
    num_frames: int = 300,
    max_persons: int = 2,
) -> Tuple[int, ...]:
    """Write one split of a pose pickle as an ST-GCN ``.npy`` + label pkl.

    Samples are written one at a time into a memory-mapped ``.npy``, so
    memory holds only the pickle. Both outputs are written to a temp file
    and renamed, so an interrupted run leaves no half file.

    Args:
        ann_file (str): MMAction2 / PYSKL annotation pickle.
        split (str, optional): Split name; None takes every annotation.
        out_data_path (str): Output float32 ``(N, 3, num_frames, V,
            max_persons)`` ``.npy``.
        out_label_path (str): Output pickle of ``(sample_names, labels)``
            with the ``frame_dir`` names.
        num_frames (int): Frames per sample (crop or zero-pad). Defaults
            to 300.
        max_persons (int): Persons per sample. Defaults to 2.

    Returns:
        tuple: Shape of the written array.

    Examples:
        >>> convert_pose_annotations('ntu60_3danno.pkl', 'xsub_val',
        ...                          'val_data.npy', 'val_label.pkl')
        (16487, 3, 300, 25, 2)
    """
    check_pose_options(max_persons, num_frames)
    annotations = load_pose_annotations(ann_file, split)
    if not annotations:
        raise ValueError(
            f'ann_file {ann_file!r}: split {split!r} has no annotations; '
            'nothing to convert'
        )
    joints = _common_joint_count(ann_file, annotations)
    shape = (len(annotations), OUT_CHANNELS, num_frames, joints, max_persons)
    with atomic_path(out_data_path) as temp:
        out = np.lib.format.open_memmap(
            temp, mode='w+', dtype=np.float32, shape=shape
        )
        for index, annotation in enumerate(annotations):
            out[index] = pose_to_skeleton(
                annotation['keypoint'],
                annotation.get('keypoint_score'),
                max_persons,
                num_frames,
            )
        out.flush()
        del out
    names = [str(annotation['frame_dir']) for annotation in annotations]
    labels = [int(annotation['label']) for annotation in annotations]
    write_pickle_atomic((names, labels), out_label_path)
    return shape


def _common_joint_count(ann_file: str, annotations: List[dict]) -> int:
    """The joint count V of every annotation, or an error naming two that
    differ (one array holds one V)."""
    joints = annotations[0]['keypoint'].shape[2]
    for annotation in annotations:
        if annotation['keypoint'].shape[2] != joints:
            raise ValueError(
                f'ann_file {ann_file!r}: frame_dir '
                f'{annotation["frame_dir"]!r} has V='
                f'{annotation["keypoint"].shape[2]} joints but frame_dir '
                f'{annotations[0]["frame_dir"]!r} has V={joints}; one '
                'array holds one joint count'
            )
    return joints
