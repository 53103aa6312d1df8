"""Reader of Kinetics-skeleton / OpenPose-demo per-video JSON files.

One file holds ``{"data": [{"frame_index": i, "skeleton": [{"pose": [x0,
y0, x1, y1, ...], "score": [s0, ...]}, ...]}, ...], "label": ...,
"label_index": ...}`` with 18 OpenPose joints, coordinates normalised to
``[0, 1]``. The official release numbers frames from 1, the reference
tool's OpenPose demo from 0: ``frame_index_base`` says which, and frame
``frame_index`` lands at ``t = frame_index - frame_index_base``.

The array follows the reference Kinetics feeder: up to ``num_person_in``
skeletons per frame in file order; x and y centred by subtracting 0.5 and
set to 0 where the score is 0; then, **per frame**, persons ranked by
their total joint score in that frame (highest first) and the first
``num_person_out`` kept. So the two slots of a frame need not hold the
same people as those of the next frame, exactly as in the reference.
"""

from typing import Any, List, Tuple

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS

from .errors import SkeletonFormatError
from .json_file import load_json

# 18 joints of image x, y and a score
OPENPOSE = LAYOUTS['openpose']


def _numbers(
    path: str, where: str, key: str, values: Any, length: int
) -> np.ndarray:
    """``values`` as a float array of ``length`` finite numbers."""
    what = f'{where}: "{key}"'
    if not isinstance(values, list):
        raise SkeletonFormatError(
            path,
            f'{what} should be a list of {length} numbers, got '
            f'{type(values).__name__}',
        )
    if len(values) != length:
        raise SkeletonFormatError(
            path, f'{what} has {len(values)} values, expected {length}'
        )
    for value in values:
        if type(value) not in (int, float):  # bool, str, None, list, ...
            raise SkeletonFormatError(
                path, f'{what} holds a non-numeric value {value!r}'
            )
    array = np.array(values, dtype=np.float64)
    if not np.isfinite(array).all():
        raise SkeletonFormatError(path, f'{what} holds NaN or infinity')
    return array


def _frames(path: str, content: Any) -> List[dict]:
    """The checked ``data`` list of a parsed file."""
    if not isinstance(content, dict) or 'data' not in content:
        found = (
            sorted(content)
            if isinstance(content, dict)
            else type(content).__name__
        )
        raise SkeletonFormatError(
            path, f'expected an object with a "data" key, found {found}'
        )
    frames = content['data']
    if not isinstance(frames, list):
        raise SkeletonFormatError(
            path,
            f'"data" should be a list of frames, got {type(frames).__name__}',
        )
    if not frames:
        raise SkeletonFormatError(
            path, 'no skeleton frames ("data" is an empty list)'
        )
    for position, frame in enumerate(frames):
        if not (
            isinstance(frame, dict) and isinstance(frame.get('skeleton'), list)
        ):
            raise SkeletonFormatError(
                path,
                f'data[{position}] should be an object with a "skeleton" list',
            )
        index = frame.get('frame_index')
        if isinstance(index, bool) or not isinstance(index, int):
            raise SkeletonFormatError(
                path,
                f'data[{position}]: "frame_index" should be an '
                f'integer, got {index!r}',
            )
    return frames


def check_read_options(
    max_frames: int,
    num_person_in: int,
    num_person_out: int,
    frame_index_base: int,
) -> None:
    """Raise ``ValueError`` for reader arguments that make no sense."""
    if max_frames < 1:
        raise ValueError(f'max_frames must be >= 1, got {max_frames}')
    if not 1 <= num_person_out <= num_person_in:
        raise ValueError(
            'need 1 <= num_person_out <= num_person_in, got '
            f'num_person_out={num_person_out}, num_person_in={num_person_in}'
        )
    if frame_index_base not in (0, 1):
        raise ValueError(
            f'frame_index_base must be 0 or 1, got {frame_index_base!r}'
        )


def read_kinetics_video(
    path: str,
    max_frames: int = 300,
    num_person_in: int = 5,
    num_person_out: int = 2,
    frame_index_base: int = 1,
) -> Tuple[np.ndarray, int]:
    """Read one video; also count the frames dropped past ``max_frames``.

    Args:
        path (str): The per-video JSON file.
        max_frames (int): Frames T of the output. Frames at ``t >=
            max_frames`` are dropped (and counted), never an error.
            Defaults to 300.
        num_person_in (int): Skeletons per frame read, in file order;
            later ones are neither read nor checked. Defaults to 5.
        num_person_out (int): Persons M kept per frame after ranking by
            score. Defaults to 2.
        frame_index_base (int): 1 for the official release, 0 for the
            reference OpenPose demo output. Defaults to 1.

    Returns:
        tuple: float32 ``(3, T, 18, M)`` array (x, y, score) and the
        number of frames dropped for lying past ``max_frames``.

    Raises:
        SkeletonFormatError: Unreadable or malformed file, a frame index
            below ``frame_index_base``, or no skeleton at all (an empty
            ``data`` list, no person in any kept frame).
    """
    check_read_options(
        max_frames, num_person_in, num_person_out, frame_index_base
    )
    frames = _frames(path, load_json(path))
    buffer, persons, dropped = _fill_frames(
        path, frames, max_frames, num_person_in, frame_index_base
    )
    if not persons:
        reason = (
            f'all {len(frames)} frames lie past the {max_frames}-frame '
            f'limit (frame_index_base={frame_index_base})'
            if dropped == len(frames)
            else f'no skeleton in any of the {len(frames)} frames'
        )
        raise SkeletonFormatError(path, reason)
    return _rank_persons(buffer, num_person_out), dropped


def _fill_frames(
    path: str,
    frames: List[dict],
    max_frames: int,
    num_person_in: int,
    frame_index_base: int,
) -> Tuple[np.ndarray, int, int]:
    """The raw ``(3, T, 18, num_person_in)`` float64 buffer (as the
    reference, so centring rounds the same way), the skeletons read and
    the frames dropped past ``max_frames``."""
    buffer = np.zeros(
        (OPENPOSE.channels, max_frames, OPENPOSE.num_node, num_person_in)
    )
    dropped = persons = 0
    for position, frame in enumerate(frames):
        index = frame['frame_index']
        t = index - frame_index_base
        if t < 0:
            raise SkeletonFormatError(
                path,
                f'data[{position}]: frame_index {index} is below '
                f'frame_index_base {frame_index_base} (0-based OpenPose '
                'demo output needs frame_index_base=0)',
            )
        if t >= max_frames:
            dropped += 1
            continue
        for m, skeleton in enumerate(frame['skeleton'][:num_person_in]):
            pose, score = _skeleton(path, f'frame_index {index}, skeleton '
                                    f'#{m}', skeleton)
            buffer[0, t, :, m] = pose[0::2]
            buffer[1, t, :, m] = pose[1::2]
            buffer[2, t, :, m] = score
            persons += 1
    return buffer, persons, dropped


def _skeleton(path: str, where: str,
              skeleton: Any) -> Tuple[np.ndarray, np.ndarray]:
    """The checked ``pose`` (x0, y0, x1, ...) and ``score`` of one
    skeleton."""
    if not isinstance(skeleton, dict):
        raise SkeletonFormatError(
            path,
            f'{where} should be an object with "pose" and "score"',
        )
    joints = OPENPOSE.num_node
    pose = _numbers(path, where, 'pose', skeleton.get('pose'), 2 * joints)
    score = _numbers(path, where, 'score', skeleton.get('score'), joints)
    return pose, score


def _rank_persons(buffer: np.ndarray, num_person_out: int) -> np.ndarray:
    """Centre x, y, zero undetected joints, keep the best-scored persons
    of each frame; float32 ``(3, T, 18, num_person_out)``."""
    buffer[0:2] -= 0.5
    undetected = buffer[2] == 0
    buffer[0][undetected] = 0
    buffer[1][undetected] = 0
    # per frame, persons by total joint score, highest first; a stable sort
    # keeps file order among equal totals
    order = np.argsort(-buffer[2].sum(axis=1), axis=1, kind='stable')
    buffer = np.take_along_axis(buffer, order[None, :, None, :], axis=3)
    return buffer[..., :num_person_out].astype(np.float32)


def read_kinetics_json(
    path: str,
    max_frames: int = 300,
    num_person_in: int = 5,
    num_person_out: int = 2,
    frame_index_base: int = 1,
) -> np.ndarray:
    """Read one video as a float32 ``(3, T, 18, M)`` array (x, y, score).

    The reader for :func:`convert_samples`, feeders and demos: as
    :func:`read_kinetics_video` (same arguments), without the count of
    dropped frames.

    Examples:
        >>> read_kinetics_json('kinetics_val/__NrybzYzUg.json').shape
        (3, 300, 18, 2)
    """
    return read_kinetics_video(
        path, max_frames, num_person_in, num_person_out, frame_index_base
    )[0]
