"""The peers the benchmarks time ours against, kept beside the tests.

The plain ST-GCN (every layer as written), the per-sample augmentation
loops and the MMAction2 import live in ``tests/``, where the equivalence
tests check ours against them; the benchmarks time the same code. This
module puts ``tests/`` on ``sys.path`` once and re-exports them.
"""
import os.path as osp
import sys

_TESTS = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tests')
if _TESTS not in sys.path:
    sys.path.append(_TESTS)

from loop_augmentation import LoopRandomChoose, LoopRandomMove
from mmaction_import import MMActionUnavailable, import_mmaction_models
from reference_stgcn_plain import PlainSTGCN

__all__ = [
    'LoopRandomChoose', 'LoopRandomMove', 'MMActionUnavailable',
    'PlainSTGCN', 'import_mmaction_models'
]
