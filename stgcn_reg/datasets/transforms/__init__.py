"""Per-sample skeleton transforms (registry location of ``TRANSFORMS``).

Every transform reads and writes ``results['keypoint']``, a float32 array
of shape ``(C, T, V, M)`` (channels, frames, joints, persons).
"""

from .augmentation import RandomMove
from .features import JointToBone, ToMotion
from .normalization import CenterSkeleton, Normalize
from .sampling import AutoPad, RandomChoose, RandomShift, TemporalDownsample

__all__ = [
    'AutoPad',
    'CenterSkeleton',
    'JointToBone',
    'Normalize',
    'RandomChoose',
    'RandomMove',
    'RandomShift',
    'TemporalDownsample',
    'ToMotion',
]
