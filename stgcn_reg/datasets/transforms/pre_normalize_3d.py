"""PYSKL's 3D pre-normalization: main person first, centred and aligned.

Part of the "PYSKL practice" recipe for NTU RGB+D 3D skeletons (Duan et
al., 2022), which follows the 2s-AGCN preprocessing. Works on the package's
``(C, T, V, M)`` layout with C=3 channels (x, y, z).
"""

from typing import Sequence, Tuple

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import check_int, get_keypoint, transform_repr

# below this norm a reference bone is treated as absent: no rotation
_MIN_NORM = 1e-6
# below this angle (radians) a bone is taken as already aligned
_MIN_ANGLE = 1e-6
_X_AXIS = np.array([1.0, 0.0, 0.0])
_Z_AXIS = np.array([0.0, 0.0, 1.0])


def _rotation_onto(
    vector: np.ndarray, target: np.ndarray, fallback_axis: np.ndarray
) -> np.ndarray:
    """3x3 rotation turning ``vector`` towards the unit vector ``target``.

    The rotation is about ``vector x target`` by the angle between them
    (Rodrigues' formula). A (near) zero ``vector`` gives the identity. When
    ``vector`` points exactly against ``target`` the cross product vanishes,
    so the half turn is made about ``fallback_axis`` (a unit vector
    perpendicular to ``target``).
    """
    norm = np.linalg.norm(vector)
    if norm < _MIN_NORM:
        return np.eye(3)
    unit = vector / norm
    angle = np.arccos(np.clip(np.dot(unit, target), -1.0, 1.0))
    if angle < _MIN_ANGLE:
        return np.eye(3)
    axis = np.cross(unit, target)
    axis_norm = np.linalg.norm(axis)
    axis = fallback_axis if axis_norm < _MIN_NORM else axis / axis_norm
    cross = np.array(
        [
            [0.0, -axis[2], axis[1]],
            [axis[2], 0.0, -axis[0]],
            [-axis[1], axis[0], 0.0],
        ]
    )
    return (
        np.eye(3)
        + np.sin(angle) * cross
        + (1.0 - np.cos(angle)) * cross @ cross
    )


def _check_pair(name: str, pair: Sequence[int]) -> Tuple[int, int]:
    """``pair`` as two joint indices >= 0, or raise naming the argument."""
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise ValueError(
            f'PreNormalize3D: {name} must be a pair (from_joint, to_joint), '
            f'got {pair!r}'
        )
    return (
        check_int(f'{name}[0]', pair[0], 0),
        check_int(f'{name}[1]', pair[1], 0),
    )


@TRANSFORMS.register_module()
class PreNormalize3D:
    """Keep the main person's frames, centre them and align the body axes.

    Steps, as PYSKL's ``PreNormalize3D``:

    1. The *main person* is the one present in the most frames (a person
       is present in a frame when any of its joints is nonzero; on a tie
       the lower index wins). It becomes person 0, the others keep their
       order. Only the frames where the main person is present are kept,
       so leading, trailing and in-between empty frames are dropped.
    2. ``align_center``: the position of ``center_joint`` of person 0 in
       the first kept frame is subtracted from every present joint of
       every person; missing joints stay zero.
    3. ``align_spine``: the skeletons are rotated so that the bone
       ``zaxis[0] -> zaxis[1]`` of person 0 in the first kept frame points
       along +z, then rotated (about the axis perpendicular to both) so
       that the bone ``xaxis[0] -> xaxis[1]`` points along +x. The second
       rotation keeps the first bone on +z when the two bones are
       perpendicular; otherwise it tilts it a little, exactly as in PYSKL
       and 2s-AGCN. A bone pointing exactly against its target axis is
       turned by a half turn (PYSKL leaves it unrotated).

    The defaults fit the 25-joint NTU RGB+D skeleton (0-based joints):
    center joint 1 (spine middle), z from 0 (spine base) to 1, x from 4
    (left shoulder) to 8 (right shoulder). After centring, the center
    joint of that first frame is exactly zero, so later transforms such as
    :class:`JointToBone` see that one joint of one frame as missing.

    A sample without any nonzero value is returned unchanged.

    Required Keys:
        - keypoint: float32 array of shape (3, T, V, M), channels (x, y, z).

    Modified Keys:
        - keypoint: float32 array of shape (3, T', V, M), T' the number
          of frames with the main person.

    Added Keys:
        - body_center: float32 array (3,), the subtracted position (zeros
          without ``align_center``).

    Args:
        center_joint (int): 0-based joint subtracted from every joint.
            Defaults to 1.
        zaxis (sequence of int): ``(from, to)`` joints of the bone turned
            onto +z. Defaults to ``(0, 1)``.
        xaxis (sequence of int): ``(from, to)`` joints of the bone turned
            onto +x. Defaults to ``(4, 8)``.
        align_center (bool): Subtract the center joint. Defaults to True.
        align_spine (bool): Rotate onto the axes. Defaults to True.

    Examples:
        >>> import numpy as np
        >>> keypoint = np.random.rand(3, 20, 25, 2).astype(np.float32)
        >>> keypoint[..., 1] = 0  # no second person
        >>> out = PreNormalize3D()(dict(keypoint=keypoint))['keypoint']
        >>> out.shape
        (3, 20, 25, 2)
    """

    def __init__(
        self,
        center_joint: int = 1,
        zaxis: Sequence[int] = (0, 1),
        xaxis: Sequence[int] = (4, 8),
        align_center: bool = True,
        align_spine: bool = True,
    ) -> None:
        self.center_joint = check_int('center_joint', center_joint, 0)
        self.zaxis = _check_pair('zaxis', zaxis)
        self.xaxis = _check_pair('xaxis', xaxis)
        self.align_center = bool(align_center)
        self.align_spine = bool(align_spine)

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self)
        self._check_shape(keypoint.shape)
        results['body_center'] = np.zeros(3, np.float32)
        frame_has_person = np.any(keypoint != 0, axis=(0, 2))  # (T, M)
        if not frame_has_person.any():
            results['keypoint'] = keypoint
            return results
        main = int(np.argmax(frame_has_person.sum(axis=0)))
        order = [main] + [m for m in range(keypoint.shape[3]) if m != main]
        frames = np.flatnonzero(frame_has_person[:, main])
        skeleton = keypoint[:, frames][..., order].astype(np.float64)
        present = np.any(skeleton != 0, axis=0)  # (T', V, M)
        if self.align_center:
            center = skeleton[:, 0, self.center_joint, 0].copy()
            skeleton = np.where(
                present, skeleton - center[:, None, None, None], 0.0
            )
            results['body_center'] = center.astype(np.float32)
        if self.align_spine:
            skeleton = self._rotate(skeleton, self.zaxis, _Z_AXIS, _X_AXIS)
            skeleton = self._rotate(skeleton, self.xaxis, _X_AXIS, _Z_AXIS)
        results['keypoint'] = skeleton.astype(np.float32)
        return results

    @staticmethod
    def _rotate(
        skeleton: np.ndarray,
        bone: Tuple[int, int],
        target: np.ndarray,
        fallback_axis: np.ndarray,
    ) -> np.ndarray:
        """Rotate every joint so that ``bone`` of person 0, frame 0, is on
        ``target``; zeros (missing joints) stay zero."""
        vector = skeleton[:, 0, bone[1], 0] - skeleton[:, 0, bone[0], 0]
        rotation = _rotation_onto(vector, target, fallback_axis)
        return np.einsum('ij,jtvm->itvm', rotation, skeleton)

    def _check_shape(self, shape: Tuple[int, ...]) -> None:
        name = type(self).__name__
        if shape[0] != 3:
            raise ValueError(
                f"{name}: expected 3D joints, results['keypoint'] of shape "
                f'(3, T, V, M) with channels (x, y, z), got C={shape[0]} '
                f'(shape {shape}, axis 0); it does not apply to 2D poses'
            )
        joints = (self.center_joint, *self.zaxis, *self.xaxis)
        if max(joints) >= shape[2]:
            raise ValueError(
                f'{name}: joints center_joint={self.center_joint}, '
                f'zaxis={self.zaxis}, xaxis={self.xaxis} do not all exist '
                f"in results['keypoint'] with V={shape[2]} joints (shape "
                f'{shape}, axis 2)'
            )

    def __repr__(self) -> str:
        return transform_repr(self, 'center_joint', 'zaxis', 'xaxis',
                              'align_center', 'align_spine')
