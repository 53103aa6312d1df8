"""Readers of the BOLD (Body Language Dataset) annotations and joint files.

``annotations/{train,val,test_meta}.csv`` have no header; a row is
``video, person_id, min_frame, max_frame``, the 26 category scores of
:data:`CATEGORY_NAMES`, then Valence, Arousal, Dominance (1-10) and
attributes (gender, age, ethnicity, annotation confidence) that are not
used here. ``test_meta.csv`` carries no labels: only its first four
columns are read.

``joints/<video with .npy for .mp4>`` is a 2-D array, one row per
(frame, person): ``[frame_index, person_id, x0, y0, c0, ..., x17, y17,
c17]`` with the 18 OpenPose joints in pixels and their confidence.
"""
import csv
import math
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS

from .errors import SkeletonFormatError

CATEGORY_NAMES: Tuple[str, ...] = (
    'Peace', 'Affection', 'Esteem', 'Anticipation', 'Engagement',
    'Confidence', 'Happiness', 'Pleasure', 'Excitement', 'Surprise',
    'Sympathy', 'Doubt/Confusion', 'Disconnect', 'Fatigue', 'Embarrassment',
    'Yearning', 'Disapproval', 'Aversion', 'Annoyance', 'Anger',
    'Sensitivity', 'Sadness', 'Disquietment', 'Fear', 'Pain', 'Suffering')
DIMENSION_NAMES: Tuple[str, ...] = ('Valence', 'Arousal', 'Dominance')
DIMENSION_RANGE: Tuple[float, float] = (1.0, 10.0)
# 18 joints of pixel x, y and a confidence
OPENPOSE = LAYOUTS['openpose']
JOINT_COLUMNS = 2 + OPENPOSE.num_node * OPENPOSE.channels
FRAME_RANGES = ('annotation', 'all')

_FIRST_CATEGORY = 4
_FIRST_DIMENSION = _FIRST_CATEGORY + len(CATEGORY_NAMES)
LABELLED_COLUMNS = _FIRST_DIMENSION + len(DIMENSION_NAMES)
_KEY_SEPARATOR = '|'


@dataclass
class BoldRow:
    """One annotated person clip of a BOLD CSV file."""
    video: str
    person_id: int
    min_frame: int
    max_frame: int
    line: int
    categories: Optional[np.ndarray] = None  # (26,) scores in [0, 1]
    dimensions: Optional[np.ndarray] = None  # (3,) ratings in [1, 10]

    @property
    def name(self) -> str:
        """Unique sample name: video, person and frame range."""
        return (f'{self.video}#{self.person_id}:'
                f'{self.min_frame}-{self.max_frame}')

    @property
    def joints_path(self) -> str:
        """Path of the joint file relative to ``joints/``."""
        return joints_relative_path(self.video)


def joints_relative_path(video: str) -> str:
    """``a/b.mp4/0114.mp4`` -> ``a/b.mp4/0114.npy`` (last suffix only)."""
    return video[:-len('.mp4')] + '.npy'


def _integer(text: str) -> int:
    value = float(text)
    if not value.is_integer():
        raise ValueError(f'{text!r} is not a whole number')
    return int(value)


def _parse_row(fields: List[str], line: int, labelled: bool) -> BoldRow:
    """A :class:`BoldRow`; ``ValueError`` says what is wrong with it."""
    needed = LABELLED_COLUMNS if labelled else 4
    if len(fields) < needed:
        raise ValueError(
            f'{len(fields)} columns, expected at least {needed} (video, '
            'person_id, min_frame, max_frame'
            + (', 26 categories, valence, arousal, dominance)'
               if labelled else ')'))
    video = fields[0].strip()
    if not video.endswith('.mp4'):
        raise ValueError(f'video {video!r} should be a path ending in .mp4')
    if osp.isabs(video) or '..' in video.replace('\\', '/').split('/'):
        raise ValueError(f'video {video!r} should be a relative path inside '
                         'the release (no leading / and no ..)')
    numbers = {}
    for column, key in enumerate(('person_id', 'min_frame', 'max_frame'), 1):
        try:
            numbers[key] = _integer(fields[column])
        except ValueError:
            raise ValueError(f'{key} {fields[column]!r} is not an integer'
                             ) from None
    if numbers['min_frame'] > numbers['max_frame']:
        raise ValueError(f'min_frame {numbers["min_frame"]} > max_frame '
                         f'{numbers["max_frame"]}')
    row = BoldRow(video, line=line, **numbers)
    if labelled:
        row.categories = _scores(fields, _FIRST_CATEGORY, CATEGORY_NAMES,
                                 (0.0, 1.0))
        row.dimensions = _scores(fields, _FIRST_DIMENSION, DIMENSION_NAMES,
                                 DIMENSION_RANGE)
    return row


def _scores(fields: List[str], first: int, names: Tuple[str, ...],
            bounds: Tuple[float, float]) -> np.ndarray:
    values = []
    for offset, name in enumerate(names):
        text = fields[first + offset]
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f'{name} (column {first + offset + 1}) '
                             f'{text!r} is not a number') from None
        if not (math.isfinite(value) and bounds[0] <= value <= bounds[1]):
            raise ValueError(f'{name} (column {first + offset + 1}) is '
                             f'{text}, expected a number in [{bounds[0]:g}, '
                             f'{bounds[1]:g}]')
        values.append(value)
    return np.array(values, dtype=np.float32)


def read_bold_csv(path: str,
                  labelled: bool = True
                  ) -> Tuple[List[BoldRow], List[Tuple[int, str]]]:
    """Parse a BOLD annotation CSV, keeping going past bad rows.

    Args:
        path (str): ``train.csv``, ``val.csv`` or ``test_meta.csv``.
        labelled (bool): Read the 26 category scores and the 3 dimensions
            (False for ``test_meta.csv``). Defaults to True.

    Returns:
        tuple: The good rows in file order, and ``(line, reason)`` for
        every malformed or repeated row (1-based line numbers). Blank
        lines are ignored.
    """
    rows: List[BoldRow] = []
    errors: List[Tuple[int, str]] = []
    first_line = {}
    with open(path, newline='', encoding='utf-8-sig') as file:
        reader = csv.reader(file)
        line = 1
        for fields in reader:
            if any(field.strip() for field in fields):
                try:
                    row = _parse_row(fields, line, labelled)
                except ValueError as error:
                    errors.append((line, str(error)))
                else:
                    if row.name in first_line:
                        errors.append((line, f'repeats line '
                                       f'{first_line[row.name]} ({row.name})'))
                    else:
                        first_line[row.name] = line
                        rows.append(row)
            line = reader.line_num + 1
    return rows, errors


def clip_key(joints_file: str, row: BoldRow) -> str:
    """Encode what :func:`read_bold_clip` needs as one picklable string."""
    return _KEY_SEPARATOR.join(
        (joints_file, str(row.person_id), str(row.min_frame),
         str(row.max_frame)))


def _split_key(key: str) -> Tuple[str, int, int, int]:
    path, person, low, high = key.rsplit(_KEY_SEPARATOR, 3)
    return path, int(person), int(low), int(high)


def load_joint_rows(path: str) -> np.ndarray:
    """Load and check a joint file: a ``(rows, 56)`` float array."""
    if not osp.isfile(path):
        raise SkeletonFormatError(path, 'joint file not found')
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, EOFError, OSError) as error:
        raise SkeletonFormatError(
            path, f'not a readable .npy array ({error})') from None
    if (array.ndim != 2 or array.shape[1] != JOINT_COLUMNS
            or not np.issubdtype(array.dtype, np.number)):
        raise SkeletonFormatError(
            path, f'expected a numeric (rows, {JOINT_COLUMNS}) array '
            '[frame_index, person_id, x0, y0, c0, ..., x17, y17, c17], '
            f'got {array.dtype} {array.shape}')
    array = array.astype(np.float64)
    if not np.isfinite(array[:, :2]).all():
        raise SkeletonFormatError(
            path, 'frame_index / person_id columns hold NaN or inf')
    return array


def _person_frames(path: str, joints: np.ndarray, person: int, low: int,
                   high: int, frame_range: str) -> Tuple[np.ndarray, int]:
    """Rows of ``person`` in the clip and the clip's first frame."""
    mine = joints[joints[:, 1] == person]
    if len(mine) == 0:
        present = sorted({int(p) for p in joints[:, 1]})
        raise SkeletonFormatError(
            path, f'person_id {person} not in the file (persons: '
            f'{present or "none"})')
    if frame_range == 'all':
        frames = mine[:, 0]
        return mine, int(frames.min())
    inside = mine[(mine[:, 0] >= low) & (mine[:, 0] <= high)]
    if len(inside) == 0:
        raise SkeletonFormatError(
            path, f'person_id {person} has no frame in [{low}, {high}] '
            f'(its frames span {int(mine[:, 0].min())}-'
            f'{int(mine[:, 0].max())}; frame_range="all" ignores '
            'min_frame/max_frame)')
    return inside, low


def normalise_clip(clip: np.ndarray) -> np.ndarray:
    """Centre and scale ``(L, V, 3)`` pixel joints to the clip's extent.

    The box around every joint with confidence > 0 over the whole clip is
    mapped to ``[-0.5, 0.5]`` along its longer side (aspect kept), so
    motion amplitude stays comparable between clips. Joints with
    confidence <= 0 (not detected) become ``(0, 0, 0)``.
    """
    out = np.zeros_like(clip, dtype=np.float32)
    seen = clip[..., 2] > 0
    if not seen.any():
        return out
    xy = clip[..., :2][seen]
    low, high = xy.min(axis=0), xy.max(axis=0)
    scale = max(float((high - low).max()), 1e-6)
    out[..., :2] = np.where(seen[..., None],
                            (clip[..., :2] - (low + high) / 2) / scale, 0)
    out[..., 2] = np.where(seen, clip[..., 2], 0)
    return out


def read_bold_clip(key: str,
                   num_frames: int = 300,
                   frame_range: str = 'annotation') -> np.ndarray:
    """One person's clip as ``(3, num_frames, 18, 1)`` float32.

    Frame ``f`` of the clip goes to ``t = f - first``; a clip longer than
    ``num_frames`` is sampled at evenly spaced frames, a shorter one is
    zero padded at the end. Frames where the person was not detected are
    zero. Coordinates are normalised by :func:`normalise_clip`.

    Args:
        key (str): From :func:`clip_key`: joint file, person_id,
            min_frame and max_frame.
        num_frames (int): Output frames T. Defaults to 300.
        frame_range (str): ``'annotation'`` keeps frames in
            ``[min_frame, max_frame]``; ``'all'`` keeps every frame of the
            person in the file. Defaults to ``'annotation'``.

    Raises:
        SkeletonFormatError: The file is missing or malformed, or the
            person has no row in the clip.
    """
    if frame_range not in FRAME_RANGES:
        raise ValueError(f'frame_range must be one of {FRAME_RANGES}, got '
                         f'{frame_range!r}')
    path, person, low, high = _split_key(key)
    rows, first = _person_frames(path, load_joint_rows(path), person, low,
                                 high, frame_range)
    frames = rows[:, 0].astype(np.int64) - first
    length = int(frames.max()) + 1
    if frame_range == 'annotation':
        length = high - low + 1
    # of several rows for one frame keep the most confident (the later
    # row on a tie): np.unique keeps the first of each frame
    confidence = np.nan_to_num(rows[:, 4::3]).sum(axis=1)
    order = np.argsort(confidence, kind='stable')[::-1]
    _, first_rows = np.unique(frames[order], return_index=True)
    keep = order[first_rows]
    joints = rows[keep, 2:].reshape(-1, OPENPOSE.num_node,
                                    OPENPOSE.channels)
    joints[~np.isfinite(joints).all(axis=2)] = 0  # NaN joint: not detected
    joints = normalise_clip(joints)
    # the clip's frames at each output step, and where each row goes
    if length > num_frames:
        wanted = np.linspace(0, length - 1, num_frames).round().astype(
            np.int64)
    else:
        wanted = np.arange(length)
    slot = np.minimum(np.searchsorted(wanted, frames[keep]), len(wanted) - 1)
    used = wanted[slot] == frames[keep]
    clip = np.zeros((num_frames, OPENPOSE.num_node, OPENPOSE.channels),
                    np.float32)
    clip[slot[used]] = joints[used]
    return clip.transpose(2, 0, 1)[..., None]
