"""Reader of raw NTU RGB+D ``.skeleton`` files (Kinect v2 text format).

A file holds the frame count, then per frame a body count and per body a
line of 10 body values, a joint count (25) and 25 lines of 12 joint
values, of which the first three are the camera-space ``x, y, z`` in
metres. Line endings may be LF or CRLF. Sample names and benchmark splits
are in :mod:`.ntu_names`.
"""

from dataclasses import dataclass
from typing import Dict, List

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS

from .errors import SkeletonFormatError

# both NTU graphs ('ntu-rgb+d', 'nturgb+d') have the same 25 joints
_NTU = LAYOUTS['ntu-rgb+d']
# fmt: off
BODY_FIELDS = ('bodyID', 'clipedEdges', 'handLeftConfidence',
               'handLeftState', 'handRightConfidence', 'handRightState',
               'isResticted', 'leanX', 'leanY', 'trackingState')
JOINT_FIELDS = ('x', 'y', 'z', 'depthX', 'depthY', 'colorX', 'colorY',
                'orientationW', 'orientationX', 'orientationY',
                'orientationZ', 'trackingState')
# counts above these are garbage, not a long recording (Kinect v2 tracks
# at most 6 bodies; NTU clips have at most 300 frames)
_MAX_FRAME_COUNT = 100_000
_MAX_BODY_COUNT = 64
# fmt: on


@dataclass
class BodyTrack:
    """One tracked body: the frames it is in and its joints there.

    Attributes:
        frames (np.ndarray): ``(T_b,)`` 0-based frame indices, increasing.
        joints (np.ndarray): ``(T_b, 25, 3)`` float32 ``x, y, z``.
    """

    frames: np.ndarray
    joints: np.ndarray


@dataclass
class SkeletonSequence:
    """A parsed file: its frame count and bodies by ``bodyID``, in order of
    first appearance."""

    path: str
    num_frames: int
    bodies: Dict[int, BodyTrack]


class _Lines:
    """Walks the lines of one file, raising errors that name the line."""

    def __init__(self, path: str, lines: List[bytes]) -> None:
        self.path = path
        self.lines = lines
        self.index = 0

    def error(self, message: str, index: int) -> SkeletonFormatError:
        return SkeletonFormatError(self.path, message, index + 1)

    def need(self, count: int, what: str) -> None:
        if not self.lines:
            raise SkeletonFormatError(self.path, f'empty file: no {what}')
        missing = self.index + count - len(self.lines)
        if missing > 0:
            raise SkeletonFormatError(
                self.path,
                f'truncated file: it ends after line '
                f'{len(self.lines)}, expected {missing} more line(s) '
                f'for {what}',
            )

    def count(self, what: str, maximum: int) -> int:
        self.need(1, what)
        text = self.lines[self.index].strip()
        if not text.isdigit() or int(text) > maximum:
            raise self.error(
                f'{what} is {text.decode(errors="replace")!r}, expected an '
                f'integer from 0 to {maximum}',
                self.index,
            )
        self.index += 1
        return int(text)

    def body_id(self, what: str) -> int:
        self.need(1, what)
        fields = self.lines[self.index].split()
        if len(fields) != len(BODY_FIELDS):
            raise self.error(
                f'{what} has {len(fields)} values, expected '
                f'{len(BODY_FIELDS)} ({", ".join(BODY_FIELDS)})',
                self.index,
            )
        for name, value in zip(BODY_FIELDS, fields):
            try:
                int(value) if name == 'bodyID' else float(value)
            except ValueError:
                raise self.error(
                    f'non-numeric {name} {value.decode(errors="replace")!r}'
                    f' in {what}',
                    self.index,
                ) from None
        self.index += 1
        return int(fields[0])

    def check_joint_lines(self, starts: List[int], frames: List[int]) -> None:
        """Find the bad joint line once the fast parse has failed."""
        for start, frame in zip(starts, frames):
            for joint in range(_NTU.num_node):
                fields = self.lines[start + joint].split()
                where = f'joint {joint} of frame {frame}'
                if len(fields) != len(JOINT_FIELDS):
                    raise self.error(
                        f'{where} has {len(fields)} values, expected '
                        f'{len(JOINT_FIELDS)} ({", ".join(JOINT_FIELDS)})',
                        start + joint,
                    )
                for name, value in zip(JOINT_FIELDS, fields):
                    try:
                        float(value)
                    except ValueError:
                        raise self.error(
                            f'non-numeric {name} '
                            f'{value.decode(errors="replace")!r} of {where}',
                            start + joint,
                        ) from None
        raise SkeletonFormatError(self.path, 'unreadable joint values')


def _check_finite(walker: _Lines, xyz: np.ndarray, values: np.ndarray,
                  starts: List[int], frames: List[int]) -> None:
    """Raise naming the first joint whose x, y or z is NaN or infinite
    (or too large for float32)."""
    bad = np.argwhere(~np.isfinite(xyz))
    if len(bad):
        block, joint, axis = (int(i) for i in bad[0])
        value = values[block * _NTU.num_node + joint, axis]
        raise walker.error(
            f'{JOINT_FIELDS[axis]} of joint {joint} of frame '
            f'{frames[block]} is {value}, not a finite coordinate',
            starts[block] + joint,
        )


def read_skeleton_file(path: str) -> SkeletonSequence:
    """Parse one ``.skeleton`` file; lines after the last frame are ignored.

    Raises:
        SkeletonFormatError: Naming the file, the line and what was wrong:
            a truncated file, a non-numeric field, a NaN or infinite
            coordinate, a joint count other than 25, or a negative or
            absurd count.
    """
    num_node = _NTU.num_node
    with open(path, 'rb') as file:
        walker = _Lines(path, file.read().splitlines())
    num_frames = walker.count('the frame count', _MAX_FRAME_COUNT)
    starts: List[int] = []  # first joint line of each body-frame
    frames: List[int] = []
    blocks: Dict[int, List[int]] = {}  # bodyID -> its body-frame numbers
    for frame in range(num_frames):
        num_bodies = walker.count(
            f'the body count of frame {frame}', _MAX_BODY_COUNT
        )
        for body in range(num_bodies):
            where = f'body {body} of frame {frame}'
            body_id = walker.body_id(f'the body line of {where}')
            num_joints = walker.count(f'the joint count of {where}', 10**6)
            if num_joints != num_node:
                raise walker.error(
                    f'the joint count of {where} is {num_joints}, expected '
                    f'{num_node}',
                    walker.index - 1,
                )
            walker.need(num_node, f'the joints of {where}')
            blocks.setdefault(body_id, []).append(len(starts))
            starts.append(walker.index)
            frames.append(frame)
            walker.index += num_node
    lines = walker.lines
    shape = (len(starts) * num_node, len(JOINT_FIELDS))
    values = np.empty(shape)
    if starts:
        block = [line for i in starts for line in lines[i : i + num_node]]
        try:  # numpy's C parser; the slow check below names a bad line
            values = np.loadtxt(block, comments=None, ndmin=2)
        except ValueError:
            values = np.empty(0)
    if values.shape != shape:
        walker.check_joint_lines(starts, frames)
    with np.errstate(over='ignore'):  # too large for float32: inf, below
        xyz = values[:, :3].reshape(-1, num_node, 3).astype(np.float32)
    _check_finite(walker, xyz, values, starts, frames)
    frame_array = np.asarray(frames, dtype=np.int64)
    bodies = {
        body_id: BodyTrack(frame_array[numbers], xyz[numbers])
        for body_id, numbers in blocks.items()
    }
    return SkeletonSequence(path, num_frames, bodies)


def body_activity(joints: np.ndarray) -> float:
    """How much a body moves: ``joints.var(axis=0).sum()``.

    The variance over the body's frames of each joint coordinate
    (population variance), summed over the 25 joints and ``x, y, z``. A
    body seen in one frame has activity 0.

    Args:
        joints (np.ndarray): ``(T_b, V, 3)`` positions.
    """
    return float(joints.var(axis=0, dtype=np.float64).sum())


def to_array(
    sequence: SkeletonSequence, max_frames: int = 300, max_bodies: int = 2
) -> np.ndarray:
    """The ``(3, max_frames, 25, max_bodies)`` float32 array of a file.

    Bodies are tracked by ``bodyID``. With at most ``max_bodies`` bodies
    they keep their order of first appearance (the reference tool's file
    order); with more, the ``max_bodies`` most active ones
    (:func:`body_activity` over the kept frames) are kept, most active
    first (ties in order of appearance). Each body's joints go to its own
    frame indices, other entries are zero; frames from ``max_frames`` on
    are dropped (NTU clips have at most 300 frames).

    Raises:
        SkeletonFormatError: When no body is in the kept frames.
    """
    if max_frames < 1 or max_bodies < 1:
        raise ValueError(
            'max_frames and max_bodies must be positive, got '
            f'{max_frames} and {max_bodies}'
        )
    tracks = []
    for track in sequence.bodies.values():
        keep = track.frames < max_frames
        if keep.any():
            tracks.append((track.frames[keep], track.joints[keep]))
    if not tracks:
        raise SkeletonFormatError(
            sequence.path,
            f'no bodies in any of its {sequence.num_frames} '
            f'frames (first {max_frames} frames read)',
        )
    if len(tracks) > max_bodies:
        activity = [-body_activity(joints) for _, joints in tracks]
        order = sorted(range(len(tracks)), key=activity.__getitem__)
        tracks = [tracks[i] for i in order[:max_bodies]]
    array = np.zeros((_NTU.channels, max_frames, _NTU.num_node, max_bodies),
                     np.float32)
    for person, (frames, joints) in enumerate(tracks):
        array[..., person][:, frames] = joints.transpose(2, 0, 1)
    return array


def read_ntu_sample(
    path: str, max_frames: int = 300, max_bodies: int = 2
) -> np.ndarray:
    """:func:`read_skeleton_file` then :func:`to_array`: one sample of
    shape ``(3, max_frames, 25, max_bodies)``."""
    return to_array(read_skeleton_file(path), max_frames, max_bodies)
