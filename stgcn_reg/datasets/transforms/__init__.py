"""Per-sample skeleton transforms (registry location of ``TRANSFORMS``).

Every transform reads and writes ``results['keypoint']``, a float32 array
of shape ``(C, T, V, M)`` (channels, frames, joints, persons).
``UniformSampleFrames`` with ``num_clips > 1`` ends a pipeline with
``(num_clips, C, T, V, M)``.
"""

from .augmentation import RandomMove
from .features import JointToBone, ToMotion
from .gen_ske_feat import GenSkeFeat
from .normalization import CenterSkeleton, Normalize
from .pre_normalize_2d import PreNormalize2D
from .pre_normalize_3d import PreNormalize3D
from .sampling import AutoPad, RandomChoose, RandomShift, TemporalDownsample
from .uniform_sample import UniformSampleFrames

__all__ = [
    'AutoPad',
    'CenterSkeleton',
    'GenSkeFeat',
    'JointToBone',
    'Normalize',
    'PreNormalize2D',
    'PreNormalize3D',
    'RandomChoose',
    'RandomMove',
    'RandomShift',
    'TemporalDownsample',
    'ToMotion',
    'UniformSampleFrames',
]
