"""Bone and motion streams of skeleton sequences.

With :class:`JointToBone` and :class:`ToMotion` at the end of a pipeline,
the joint, bone, joint-motion and bone-motion models of multi-stream
ST-GCN differ only in their configs. Both keep the array layout
``(C, T, V, M)`` and treat a joint as *missing* at a frame when all its
channels are zero there (padding frames, absent persons, undetected
joints), like the other transforms of this package.

``formula='pyskl'`` gives MMAction2's and PYSKL's arrays instead (their
``JointToBone`` and ``ToMotion``; :class:`GenSkeFeat` combines them as
their ``GenSkeFeat`` does): plain differences everywhere, missing joints
included, and score channels averaged.
"""

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS, get_layout
from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr

CENTER_TO_SELF = ('zero', 'joint')
BONE_FORMULAS = ('masked', 'pyskl')
MOTION_FORMULAS = ('forward', 'central', 'pyskl')


def pyskl_bone(keypoint: np.ndarray, parents, coords: int) -> np.ndarray:
    """MMAction2's / PYSKL's bones of ``(C, T, V, M)`` joints, float32.

    ``joint - parent`` on the ``coords`` leading channels, at every frame
    (a missing joint or parent is subtracted as zeros); the other
    channels (a score) are the mean of the joint's and the parent's.
    """
    keypoint = np.asarray(keypoint, np.float32)
    parent = keypoint[:, :, list(parents)]
    bone = np.empty_like(keypoint)
    bone[:coords] = keypoint[:coords] - parent[:coords]
    bone[coords:] = (keypoint[coords:] + parent[coords:]) / 2
    return bone


def pyskl_motion(data: np.ndarray, coords: int) -> np.ndarray:
    """MMAction2's / PYSKL's motion of ``(C, T, V, M)`` data, float32.

    ``x[t + 1] - x[t]`` on the ``coords`` leading channels, the mean of
    ``x[t]`` and ``x[t + 1]`` on the others (a score), at every frame but
    the last, which is all zero.
    """
    data = np.asarray(data, np.float32)
    motion = np.zeros_like(data)
    motion[:coords, :-1] = data[:coords, 1:] - data[:coords, :-1]
    motion[coords:, :-1] = (data[coords:, :-1] + data[coords:, 1:]) / 2
    return motion


def _check_coords(transform: object, coords: int, shape: tuple) -> None:
    """Raise unless the keypoint array has at least ``coords`` channels."""
    if coords > shape[0]:
        raise ValueError(
            f'{type(transform).__name__}: coords={coords} but '
            f"results['keypoint'] has only C={shape[0]} channels (shape "
            f'{shape}, axis 0); use coords=2 for (x, y) or (x, y, score) '
            'data'
        )


def _check_choice(transform: object, name: str, value: str,
                  choices: tuple) -> str:
    """Return ``value``, or raise unless it is one of ``choices``."""
    if value not in choices:
        raise ValueError(
            f'{type(transform).__name__}: {name} must be one of {choices}, '
            f'got {value!r}'
        )
    return value


@TRANSFORMS.register_module()
class JointToBone:
    """Turn joint positions into bone vectors (the bone stream).

    With ``formula='masked'`` (the default), each joint ``v`` has a parent
    ``p``: its neighbour one hop closer to the layout's center joint
    (:attr:`~stgcn_reg.graphs.Layout.parents`: a breadth-first search
    from the center over the layout's edges; e.g. for ``'ntu-rgb+d'`` the
    head, 0-based joint 3, has the neck, joint 2, as parent). Per frame
    and person, for the coordinate channels ``c < coords``::

        bone[c, t, v, m] = joint[c, t, v, m] - joint[c, t, p, m]

    Channels from ``coords`` on (e.g. the OpenPose score of Kinetics
    ``(x, y, score)`` data with ``coords=2``) keep the joint's own value.
    A root (the center, its own parent) has a zero bone
    (``center_to_self='zero'``) or its joint position (``'joint'``,
    which keeps where the body is). A bone exists only where both of its
    joints are present: when the joint or its parent is missing (all
    channels zero) at a frame, the whole bone, score included, is zero
    there, so it is never the joint's absolute position and later
    transforms see it as missing.

    With ``formula='pyskl'`` the bones are MMAction2's and PYSKL's
    (``JointToBone``, also inside their ``GenSkeFeat``): the parents are
    their table, :attr:`~stgcn_reg.graphs.Layout.pyskl_parents` (for
    OpenPose and COCO rooted at the nose), the difference is taken at
    every frame, missing joints included (a missing parent leaves the
    joint's position, a missing joint minus its parent), and the channels
    from ``coords`` on are the mean of the joint's and the parent's
    scores.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M), V joints of
          ``layout``, C >= coords.

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M), bone vectors.

    Args:
        layout (str): Name of the joint layout (see
            ``stgcn_reg.graphs.LAYOUTS``), e.g. ``'ntu-rgb+d'``.
        center_to_self (str): A root's bone: ``'zero'`` or ``'joint'``
            (its position). Defaults to ``'zero'``.
        coords (int): How many leading channels are coordinates: 3 for
            NTU ``(x, y, z)``, 2 for Kinetics ``(x, y, score)``.
            Defaults to 3.
        formula (str): ``'masked'`` (ours, above) or ``'pyskl'``
            (MMAction2's and PYSKL's). Defaults to ``'masked'``.

    Examples:
        >>> import numpy as np
        >>> bone = JointToBone(layout='ntu-rgb+d')
        >>> bone.parents[3]  # head -> neck
        2
        >>> keypoint = np.ones((3, 300, 25, 2), dtype=np.float32)
        >>> bone(dict(keypoint=keypoint))['keypoint'].shape
        (3, 300, 25, 2)
    """

    def __init__(self, layout: str, center_to_self: str = 'zero',
                 coords: int = 3, formula: str = 'masked') -> None:
        if layout not in LAYOUTS:
            raise ValueError(
                f'JointToBone: unknown layout {layout!r}; built-in layouts '
                f'are {LAYOUTS.names()}'
            )
        self.center_to_self = _check_choice(self, 'center_to_self',
                                            center_to_self, CENTER_TO_SELF)
        self.formula = _check_choice(self, 'formula', formula,
                                     BONE_FORMULAS)
        self.layout = layout
        self.coords = check_int('coords', coords, 1)
        graph_layout = get_layout(layout)
        self.num_node = graph_layout.num_node
        self.parents = graph_layout.parents
        if formula == 'pyskl':
            if not graph_layout.pyskl_parents:
                raise ValueError(
                    f"JointToBone: formula='pyskl' needs MMAction2's bone "
                    f'pairs, which layout {layout!r} has none of (its '
                    'pyskl_parents is empty)'
                )
            self.parents = graph_layout.pyskl_parents
        self.roots = [v for v, p in enumerate(self.parents) if v == p]

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        if keypoint.shape[2] != self.num_node:
            raise ValueError(
                f'JointToBone: layout {self.layout!r} has {self.num_node} '
                f"joints but results['keypoint'] has V={keypoint.shape[2]} "
                f'(shape {keypoint.shape}, axis 2)'
            )
        _check_coords(self, self.coords, keypoint.shape)
        coords, parents = self.coords, list(self.parents)
        if self.formula == 'pyskl':
            bone = pyskl_bone(keypoint, parents, coords)
        else:
            bone = keypoint.copy()
            bone[:coords] -= keypoint[:coords, :, parents]
        if self.center_to_self == 'joint':
            bone[:coords, :, self.roots] = keypoint[:coords, :, self.roots]
        if self.formula == 'masked':
            present = np.any(keypoint != 0, axis=0)  # (T, V, M)
            bone = np.where(present & present[:, parents], bone, 0)
        results['keypoint'] = bone.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'layout', 'center_to_self', 'coords',
                              'formula')


@TRANSFORMS.register_module()
class ToMotion:
    """Temporal differences of joints or bones (the motion streams).

    With ``present[t]`` meaning the joint (or bone) is not all-zero at
    frame ``t`` of that person, for the coordinate channels
    ``c < coords``:

    - ``'forward'``: ``out[c, t] = x[c, t + 1] - x[c, t]`` where
      ``present[t]`` and ``present[t + 1]``, else 0. The last frame and
      the last valid frame before the zero padding get zero motion
      (never ``0 - x[t]``), and padding frames stay zero.
    - ``'central'`` (the form of the two-stream reference):
      ``out[c, t] = x[c, t] - 0.5 * x[c, t + 1] - 0.5 * x[c, t - 1]``
      where ``present`` at ``t - 1``, ``t`` and ``t + 1``, else 0, so
      both ends of the valid frames (and frames 0 and T - 1) are zero.

    Channels from ``coords`` on (e.g. a score) keep the frame's own value
    ``x[c, t]`` where the motion is defined and are zero elsewhere, so a
    frame without motion looks missing to later transforms.

    - ``'pyskl'`` (MMAction2's and PYSKL's ``ToMotion``):
      ``out[c, t] = x[c, t + 1] - x[c, t]`` at every frame ``t < T - 1``,
      missing joints and padding included, and the channels from
      ``coords`` on are the mean ``(x[c, t] + x[c, t + 1]) / 2``; the
      last frame is all zero.

    A static skeleton has zero motion. Put this transform after
    :class:`JointToBone` for the bone-motion stream.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M), C >= coords.

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M), motion.

    Args:
        formula (str): ``'forward'``, ``'central'`` or ``'pyskl'``.
            Defaults to ``'forward'``.
        coords (int): How many leading channels are coordinates: 3 for
            NTU ``(x, y, z)``, 2 for Kinetics ``(x, y, score)``.
            Defaults to 3.

    Examples:
        >>> import numpy as np
        >>> keypoint = np.zeros((3, 4, 1, 1), dtype=np.float32)
        >>> keypoint[0, :3, 0, 0] = [1, 2, 4]  # frame 3 is padding
        >>> keypoint[1:, :3] = 1
        >>> ToMotion()(dict(keypoint=keypoint))['keypoint'][0, :, 0, 0]
        array([1., 2., 0., 0.], dtype=float32)
    """

    def __init__(self, formula: str = 'forward', coords: int = 3) -> None:
        self.formula = _check_choice(self, 'formula', formula,
                                     MOTION_FORMULAS)
        self.coords = check_int('coords', coords, 1)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        _check_coords(self, self.coords, keypoint.shape)
        coords = self.coords
        if self.formula == 'pyskl':
            results['keypoint'] = pyskl_motion(keypoint, coords)
            return results
        present = np.any(keypoint != 0, axis=0)  # (T, V, M)
        motion = keypoint.copy()
        defined = np.zeros_like(present)
        if self.formula == 'forward':
            motion[:coords, :-1] = (
                keypoint[:coords, 1:] - keypoint[:coords, :-1]
            )
            defined[:-1] = present[:-1] & present[1:]
        else:
            motion[:coords, 1:-1] = (
                keypoint[:coords, 1:-1]
                - 0.5 * keypoint[:coords, 2:]
                - 0.5 * keypoint[:coords, :-2]
            )
            defined[1:-1] = present[:-2] & present[1:-1] & present[2:]
        results['keypoint'] = np.where(defined, motion, 0).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'formula', 'coords')
