"""MMAction2 1.2.0's skeleton transforms and the real clips they are
compared on (the shared NTU and Kinetics samples).

MMAction2 keeps skeletons as ``(M, T, V, C)``, we as ``(C, T, V, M)``;
:func:`to_mm` and :func:`from_mm` turn one into the other. Tests needing
MMAction2 or the shared data skip, saying why, when they are absent.
"""
import glob
import os.path as osp
from typing import Any, Dict

import numpy as np
import pytest
from conftest import SHARED_DATA
from mmaction_import import MMActionUnavailable, import_mmaction_models


def mmaction_pose_transforms() -> Any:
    """``mmaction.datasets.transforms.pose_transforms``, or skip."""
    try:
        import_mmaction_models()
        from mmaction.datasets.transforms import pose_transforms
    except (MMActionUnavailable, ImportError) as error:
        pytest.skip(str(error))
    return pose_transforms


def mmaction_format_gcn_input(**kwargs: Any) -> Any:
    """MMAction2's ``FormatGCNInput`` transform, or skip."""
    mmaction_pose_transforms()
    from mmaction.datasets.transforms.formatting import FormatGCNInput
    return FormatGCNInput(**kwargs)


def require_shared_data() -> str:
    """The shared sample data folder, or skip when it is absent."""
    if not osp.isdir(SHARED_DATA):
        pytest.skip(f'shared sample data not found at {SHARED_DATA}')
    return SHARED_DATA


def to_mm(array: np.ndarray) -> np.ndarray:
    """Our ``(C, T, V, M)`` as MMAction2's ``(M, T, V, C)``."""
    return np.ascontiguousarray(array.transpose(3, 1, 2, 0))


def from_mm(array: np.ndarray) -> np.ndarray:
    """MMAction2's ``(M, T, V, C)`` (or ``(nc, M, T, V, C)``) as ours."""
    axes = (3, 1, 2, 0) if array.ndim == 4 else (0, 4, 2, 3, 1)
    return np.ascontiguousarray(array.transpose(axes))


def real_ntu_clips() -> Dict[str, np.ndarray]:
    """The real NTU samples as ``(3, T, 25, 2)`` float32, their own T."""
    from ntu_raw import real_ntu_files

    from stgcn_reg.datasets.readers.ntu_skeleton import (
        read_skeleton_file,
        to_array,
    )
    clips = {}
    for name, path in real_ntu_files(require_shared_data()).items():
        sequence = read_skeleton_file(path)
        clips[name] = to_array(sequence)[:, :sequence.num_frames]
    if not clips:
        pytest.skip('no real NTU .skeleton files in the shared data')
    return clips


def real_kinetics_clips() -> Dict[str, np.ndarray]:
    """The real Kinetics-skeleton samples as ``(3, 300, 18, 2)`` float32
    (x, y in [0, 1], score), two persons ranked by score."""
    from stgcn_reg.datasets.readers.kinetics_json import read_kinetics_json
    paths = sorted(glob.glob(osp.join(require_shared_data(), 'kinetics',
                                      'val', '*.json')))
    if not paths:
        pytest.skip('no Kinetics-skeleton .json files in the shared data')
    return {osp.basename(path)[:-5]: read_kinetics_json(path)
            for path in paths}


def looped(clip: np.ndarray, num_frames: int) -> np.ndarray:
    """``clip`` (C, T, V, M) trimmed or looped to ``num_frames`` frames."""
    return np.ascontiguousarray(
        clip[:, np.arange(num_frames) % clip.shape[1]])
