"""Per-sample skeleton transforms (registry location of ``TRANSFORMS``).

Every transform reads and writes ``results['keypoint']``, a float32 array
of shape ``(C, T, V, M)`` (channels, frames, joints, persons).
``UniformSampleFrames`` with ``num_clips > 1`` ends a pipeline with
``(num_clips, C, T, V, M)``.
"""

from .augmentation import RandomMove
from .features import JointToBone, ToMotion
from .normalization import CenterSkeleton, Normalize
from .pre_normalize_3d import PreNormalize3D
from .sampling import AutoPad, RandomChoose, RandomShift, TemporalDownsample
from .uniform_sample import UniformSampleFrames

__all__ = [
    'AutoPad',
    'CenterSkeleton',
    'JointToBone',
    'Normalize',
    'PreNormalize3D',
    'RandomChoose',
    'RandomMove',
    'RandomShift',
    'TemporalDownsample',
    'ToMotion',
    'UniformSampleFrames',
]
