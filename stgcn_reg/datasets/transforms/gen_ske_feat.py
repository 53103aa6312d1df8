"""MMAction2's / PYSKL's ``GenSkeFeat``: joint, bone and motion streams.

Their configs put ``GenSkeFeat(dataset=..., feats=[...])`` where ours put
:class:`JointToBone` and :class:`ToMotion`; this transform takes the same
arguments and gives the same arrays, in our ``(C, T, V, M)`` layout
(theirs is ``(M, T, V, C)``).
"""
from typing import Sequence

import numpy as np

from stgcn_reg.graphs.layouts import layout_by_alias
from stgcn_reg.registry import TRANSFORMS

from .common import get_keypoint, transform_repr
from .features import pyskl_bone, pyskl_motion

# the datasets (joint sets) MMAction2's GenSkeFeat knows
DATASETS = ('nturgb+d', 'openpose', 'coco')
FEATS = ('j', 'b', 'jm', 'bm')
# their axis of (M, T, V, C) -> ours of (C, T, V, M)
_OUR_AXIS = {0: 3, 1: 1, 2: 2, 3: 0}


@TRANSFORMS.register_module()
class GenSkeFeat:
    """Joint (``'j'``), bone (``'b'``), joint-motion (``'jm'``) and
    bone-motion (``'bm'``) features, concatenated in the order of
    ``feats``, as MMAction2's and PYSKL's ``GenSkeFeat``.

    - ``'b'``: :func:`~.features.pyskl_bone` with their bone parents of
      ``dataset`` (:attr:`~stgcn_reg.graphs.Layout.pyskl_parents` of the
      layout they call so: ``'nturgb+d'``, ``'openpose'``, ``'coco'``);
    - ``'jm'`` / ``'bm'``: :func:`~.features.pyskl_motion` of the joints
      / of those bones.

    For ``'nturgb+d'`` every channel is a coordinate; for ``'openpose'``
    and ``'coco'`` a third channel is a detection score, averaged by bones
    and motion instead of subtracted. When ``results`` has a
    ``keypoint_score`` ``(T, V, M)`` beside 2-D ``keypoint`` ``(2, T, V,
    M)``, it becomes that third channel first (and is removed), as
    MMAction2 does; our feeders already give (x, y, score) data as
    ``(3, T, V, M)``, which is the same. ``feats=['j']`` leaves the joints
    as they are.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M), C in (2, 3)
          for bone and motion features.
        - keypoint_score (optional): float array (T, V, M).

    Modified Keys:
        - keypoint: float32 array of shape (len(feats) * C, T, V, M) with
          the default ``axis``.

    Removed Keys:
        - keypoint_score.

    Args:
        dataset (str): ``'nturgb+d'``, ``'openpose'`` or ``'coco'``.
            Defaults to ``'nturgb+d'``.
        feats (sequence of str): Features, each once, among ``'j'``,
            ``'b'``, ``'jm'``, ``'bm'``. Defaults to ``('j', )``.
        axis (int): The axis they are joined along, in MMAction2's
            ``(M, T, V, C)`` numbering as in their configs: -1 (or 3)
            is the channels, our axis 0. Defaults to -1.

    Examples:
        >>> import numpy as np
        >>> keypoint = np.ones((3, 50, 25, 2), dtype=np.float32)
        >>> feats = GenSkeFeat(dataset='nturgb+d', feats=['j', 'b'])
        >>> feats(dict(keypoint=keypoint))['keypoint'].shape
        (6, 50, 25, 2)
    """

    def __init__(self, dataset: str = 'nturgb+d',
                 feats: Sequence[str] = ('j', ), axis: int = -1) -> None:
        if dataset not in DATASETS:
            raise ValueError(
                f'GenSkeFeat: dataset must be one of {DATASETS}, got '
                f'{dataset!r}')
        feats = [feats] if isinstance(feats, str) else list(feats)
        if not feats or any(feat not in FEATS for feat in feats) or len(
                set(feats)) != len(feats):
            raise ValueError(
                f'GenSkeFeat: feats must list some of {FEATS}, each once, '
                f'got {feats!r}')
        if isinstance(axis, bool) or axis not in range(-4, 4):
            raise ValueError(
                f'GenSkeFeat: axis must be an axis of (M, T, V, C), -4 to '
                f'3, got {axis!r}')
        self.dataset = dataset
        self.feats = feats
        self.axis = axis
        self.parents = layout_by_alias(dataset, 'mmaction').pyskl_parents

    def __call__(self, results: dict) -> dict:
        keypoint = self._with_score(results)
        channels = keypoint.shape[0]
        if any(feat != 'j' for feat in self.feats):
            if channels not in (2, 3):
                raise ValueError(
                    f'GenSkeFeat: bone and motion features need 2 or 3 '
                    f"channels, results['keypoint'] has C={channels} "
                    f'(shape {keypoint.shape}, axis 0)')
            if keypoint.shape[2] != len(self.parents):
                raise ValueError(
                    f'GenSkeFeat: dataset {self.dataset!r} has '
                    f"{len(self.parents)} joints but results['keypoint'] "
                    f'has V={keypoint.shape[2]} (shape {keypoint.shape}, '
                    'axis 2)')
        # the score of (x, y, score) data is averaged, not subtracted
        coords = channels if self.dataset == 'nturgb+d' else 2
        streams = dict(j=keypoint)
        if 'b' in self.feats or 'bm' in self.feats:
            streams['b'] = pyskl_bone(keypoint, self.parents, coords)
        if 'jm' in self.feats:
            streams['jm'] = pyskl_motion(keypoint, coords)
        if 'bm' in self.feats:
            streams['bm'] = pyskl_motion(streams['b'], coords)
        results['keypoint'] = np.concatenate(
            [streams[feat] for feat in self.feats],
            axis=_OUR_AXIS[self.axis % 4])
        return results

    def _with_score(self, results: dict) -> np.ndarray:
        """``keypoint``, with a ``keypoint_score`` as its last channel."""
        keypoint = get_keypoint(results, self)
        if 'keypoint_score' not in results:
            return keypoint
        if self.dataset == 'nturgb+d':
            raise ValueError(
                "GenSkeFeat: results has 'keypoint_score', which dataset "
                "'nturgb+d' (3-D joints) does not take; use 'openpose' or "
                "'coco' for 2-D poses with scores")
        score = np.asarray(results.pop('keypoint_score'), np.float32)
        if keypoint.shape[0] != 2 or score.shape != keypoint.shape[1:]:
            raise ValueError(
                f"GenSkeFeat: with 'keypoint_score' (shape {score.shape}) "
                f"results['keypoint'] must be 2-D (x, y), shape (2, T, V, "
                f'M), with the score (T, V, M); got keypoint shape '
                f'{keypoint.shape}')
        return np.concatenate([keypoint, score[None]], axis=0)

    def __repr__(self) -> str:
        return transform_repr(self, 'dataset', 'feats', 'axis')
