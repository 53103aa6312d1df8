"""A small synthetic BOLD-format release whose labels follow the motion.

Each annotated person has latent valence, arousal and dominance ``z`` in
``[0, 1]`` that drive an 18-joint OpenPose skeleton in pixels: valence
raises the arms and the head, arousal speeds up and widens the arm
swing and the bounce, dominance widens the stance and shoulders and
straightens the elbows. The ratings are ``1 + 9 z`` plus noise; each of the
26 categories is tied to one factor (fixed sign and cut-off), its score a
soft vote of 5 annotators, so a model that sees the motion can predict
both. A second, unannotated person moves in every joint file, and frames
outside the annotated range exist, so a reader must pick the right rows.

Layout written under ``root`` (as the public release)::

    annotations/train.csv, val.csv, test_meta.csv   (no header)
    joints/<split>/<group>/<video>.mp4/<clip>.npy    rows [frame, person,
                                                     x0, y0, c0, ...]

Examples:
    >>> info = write_bold_fixture('/tmp/bold', num_train=8, num_val=4)
    >>> info['rows']['train']
    8
"""
import csv
import os
import os.path as osp
from typing import Any, Dict, List, Tuple

import numpy as np

from .readers.bold import CATEGORY_NAMES, OPENPOSE, joints_relative_path

FPS = 30.0
NUM_ANNOTATORS = 5
# openpose joints relative to the neck in body heights (image y down)
_HEAD = {0: (0.0, -0.08), 14: (-0.02, -0.1), 15: (0.02, -0.1),
         16: (-0.045, -0.09), 17: (0.045, -0.09)}
_UPPER_ARM, _FOREARM, _THIGH, _SHIN = 0.17, 0.15, 0.25, 0.25


def _category_rules() -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Factor, sign and cut-off of each category (same for every seed)."""
    index = np.arange(len(CATEGORY_NAMES))
    factor = index % 3
    sign = np.where((index // 3) % 2 == 0, 1.0, -1.0)
    draw = np.random.default_rng(2024).uniform(0.2, 0.55, len(index))
    # positive rate: 1 - cut for sign +1, cut for sign -1 (20-55%)
    cut = np.where(sign > 0, 1.0 - draw, draw)
    return factor, sign, cut


FACTOR, SIGN, CUT = _category_rules()


def labels_from_latent(z: np.ndarray,
                       rng: np.random.Generator) -> Tuple[np.ndarray, ...]:
    """Category scores (26,) in [0, 1] and ratings (3,) in [1, 10]."""
    prob = 1.0 / (1.0 + np.exp(-12.0 * SIGN * (z[FACTOR] - CUT)))
    votes = rng.binomial(NUM_ANNOTATORS, np.clip(prob, 0.02, 0.98))
    ratings = np.clip(1.0 + 9.0 * z + rng.normal(0, 0.2, 3), 1.0, 10.0)
    return votes / NUM_ANNOTATORS, ratings


def _limb(start: np.ndarray, angle: np.ndarray, length: float,
          side: float) -> np.ndarray:
    """End ``(T, 2)`` of a limb of ``length`` at ``angle`` from down."""
    return start + length * np.stack(
        [side * np.sin(angle), np.cos(angle)], axis=-1)


def _skeleton(z: np.ndarray, num_frames: int,
              rng: np.random.Generator) -> np.ndarray:
    """``(T, 18, 2)`` joints in body heights of a person driven by ``z``."""
    valence, arousal, dominance = z
    t = np.arange(num_frames) / FPS
    phase = rng.uniform(0, 2 * np.pi)
    swing = np.sin(2 * np.pi * (0.2 + 2.0 * arousal) * t + phase)
    joints = np.zeros((num_frames, OPENPOSE.num_node, OPENPOSE.dims))
    neck = np.stack([np.zeros_like(t), 0.03 * arousal * swing], axis=-1)
    joints[:, 1] = neck
    tilt = 0.08 * (0.5 - valence)
    for joint, (x, y) in _HEAD.items():
        joints[:, joint] = neck + (x, y + tilt)
    half_width = 0.09 + 0.05 * dominance
    stance = 0.04 + 0.08 * dominance
    for side, (shoulder, elbow, wrist, hip, knee, ankle) in (
            (-1.0, (2, 3, 4, 8, 9, 10)), (1.0, (5, 6, 7, 11, 12, 13))):
        joints[:, shoulder] = neck + (side * half_width, 0.0)
        upper = 0.2 + 2.2 * valence + (0.05 + 0.6 * arousal) * swing
        joints[:, elbow] = _limb(joints[:, shoulder], upper, _UPPER_ARM, side)
        fore = upper - 0.9 * (1.0 - dominance)
        joints[:, wrist] = _limb(joints[:, elbow], fore, _FOREARM, side)
        joints[:, hip] = neck + (side * 0.06, 0.3)
        joints[:, knee] = _limb(joints[:, hip], stance, _THIGH, side)
        joints[:, ankle] = _limb(joints[:, knee], stance, _SHIN, side)
    return joints


def _person_rows(person_id: int, z: np.ndarray, frames: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Joint-file rows ``(T, 56)`` of one person placed in a 1280x720 view."""
    height = rng.uniform(150, 400)
    origin = (rng.uniform(200, 1080), rng.uniform(100, 250))
    xy = _skeleton(z, len(frames), rng) * height + origin
    xy += rng.normal(0, 0.005 * height, xy.shape)
    conf = rng.uniform(0.5, 1.0, xy.shape[:2])
    missing = rng.random(conf.shape) < 0.03  # undetected: 0, 0, 0
    xy[missing], conf[missing] = 0.0, 0.0
    joints = np.concatenate([xy, conf[..., None]], axis=-1)
    return np.concatenate(
        [frames[:, None].astype(np.float64),
         np.full((len(frames), 1), person_id, np.float64),
         joints.reshape(len(frames), -1)], axis=1)


def _video(root: str, split: str, index: int, num_frames: int,
           rng: np.random.Generator) -> List[Tuple[Any, ...]]:
    """Write one joint file; return its CSV rows (one or two persons)."""
    video = f'{split}/{index // 100:03d}/vid{index:04d}.mp4/0001.mp4'
    length = int(rng.integers(max(4, num_frames // 2), num_frames + 1))
    low = int(rng.integers(0, 50))
    before, after = int(rng.integers(0, 8)), int(rng.integers(0, 8))
    frames = np.arange(low - before, low + length + after)
    people = rng.choice(5, size=2, replace=False)
    latents = rng.uniform(0, 1, (2, 3))
    rows = np.concatenate([
        _person_rows(int(pid), z, frames, rng)
        for pid, z in zip(people, latents)])
    path = osp.join(root, 'joints', joints_relative_path(video))
    os.makedirs(osp.dirname(path), exist_ok=True)
    np.save(path, rows[rng.permutation(len(rows))].astype(np.float32))
    annotated = 2 if rng.random() < 0.3 else 1
    return [(video, int(people[k]), low, low + length - 1, latents[k])
            for k in range(annotated)]


def _csv_rows(clips: List[Tuple[Any, ...]], labelled: bool,
              rng: np.random.Generator) -> List[List[str]]:
    lines = []
    for video, pid, low, high, z in clips:
        line = [video, str(pid), str(low), str(high)]
        if labelled:
            categories, ratings = labels_from_latent(z, rng)
            line += [f'{v:.1f}' for v in categories]
            line += [f'{v:.2f}' for v in ratings]
            line += [str(rng.integers(0, 2)), str(rng.integers(0, 3)),
                     str(rng.integers(0, 5)), f'{rng.uniform(0.5, 1):.2f}']
        lines.append(line)
    return lines


def _defect_rows(clips: List[Tuple[Any, ...]]) -> List[List[str]]:
    """Rows a converter must report and skip: 2 unreadable, 2 malformed."""
    video, pid, low, high, _ = clips[0]
    good = ['0.0'] * len(CATEGORY_NAMES) + ['5.0'] * 3
    return [
        ['train/999/missing.mp4/0001.mp4', '0', '0', '9'] + good,
        [video, '7', str(low), str(high)] + good,
        [video, str(pid), str(low)],
        [video, str(pid), str(low), str(high), 'abc'] + good[1:],
    ]


def write_bold_fixture(root: str,
                       num_train: int = 96,
                       num_val: int = 48,
                       num_test: int = 8,
                       num_frames: int = 48,
                       seed: int = 0,
                       defects: bool = False) -> Dict[str, Any]:
    """Write the synthetic release under ``root``.

    Args:
        root (str): Output folder (the BOLD root).
        num_train (int): Annotated train rows. Defaults to 96.
        num_val (int): Annotated val rows. Defaults to 48.
        num_test (int): Rows of ``test_meta.csv``. Defaults to 8.
        num_frames (int): Longest annotated clip; clips are 50-100% of it.
            Defaults to 48.
        seed (int): Random seed. Defaults to 0.
        defects (bool): Append 4 bad rows to ``train.csv`` (missing joint
            file, absent person, too few columns, a non-number) that a
            converter must report and skip. Defaults to False.

    Returns:
        dict: ``root``, ``rows`` (good CSV rows per split) and
        ``defect_lines`` (1-based lines of the bad rows in train.csv).
    """
    for name, value in (('num_train', num_train), ('num_val', num_val),
                        ('num_test', num_test), ('num_frames', num_frames)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f'{name} must be a positive integer, got '
                             f'{value!r}')
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    info: Dict[str, Any] = dict(root=root, rows={}, defect_lines=[])
    for split, count, file_name in (('train', num_train, 'train.csv'),
                                    ('val', num_val, 'val.csv'),
                                    ('test', num_test, 'test_meta.csv')):
        clips: List[Tuple[Any, ...]] = []
        while len(clips) < count:
            clips += _video(root, split, len(clips), num_frames, rng)
        clips = clips[:count]
        lines = _csv_rows(clips, split != 'test', rng)
        if defects and split == 'train':
            info['defect_lines'] = list(
                range(len(lines) + 1, len(lines) + 5))
            lines += _defect_rows(clips)
        with open(osp.join(root, 'annotations', file_name), 'w',
                  newline='') as file:
            csv.writer(file).writerows(lines)
        info['rows'][split] = count
    return info
