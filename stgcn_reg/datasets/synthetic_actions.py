"""Synthetic NTU RGB+D style skeleton clips of a few distinguishable actions.

A standing 25-joint Kinect skeleton is built from bone lengths proportional
to a random body height, animated with simple joint-angle kinematics per
action (random speed, phase and amplitude), seen from a random camera
yaw / tilt / distance and jittered with Gaussian joint noise. The arrays
follow the NTU layout ``(C=3, T, V=25, M=2)`` with channels ``(x, y, z)``
in metres (Kinect camera space: y up, z away from the camera); the second
person slot is all zeros. Used by the README demo, which trains ST-GCN on
CPU.

Examples:
    >>> data, names, labels = make_dataset(16, num_frames=32, seed=1)
    >>> data.shape, len(set(labels)), ACTION_NAMES[labels[0]] in ACTION_NAMES
    ((16, 3, 32, 25, 2), 8, True)
"""

import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS
from stgcn_reg.utils.atomic_io import atomic_path, write_pickle_atomic

from .synthetic_kinematics import ACTION_NAMES, FREQUENCY, pose, skeleton

__all__ = ['ACTION_NAMES', 'make_dataset', 'make_sequence',
           'write_demo_dataset']
# the joints of both NTU graphs, in NTU order
_NTU = LAYOUTS['ntu-rgb+d']

FPS = 30.0
PAD_PROB = 0.25  # fraction of clips shorter than num_frames (zero padded)
Seed = Union[int, Sequence[int], np.random.SeedSequence]


def make_sequence(
    action: int,
    num_frames: int,
    rng: np.random.Generator,
    pad_prob: float = PAD_PROB,
) -> np.ndarray:
    """One random clip of ``action`` as a ``(3, T, 25, 2)`` float32 array.

    Args:
        action (int): 0-based class index into :data:`ACTION_NAMES`.
        num_frames (int): T, the length of the returned array.
        rng (np.random.Generator): Source of all randomness.
        pad_prob (float): Probability that only the first
            ``U(0.6, 1.0) * T`` frames hold the clip and the rest are
            zeros, like a short NTU clip padded to a fixed length.

    Returns:
        np.ndarray: Kinect camera-space ``(x, y, z)`` metres of the 25 NTU
        joints of person 0; person 1 is all zeros.
    """
    if not 0 <= action < len(ACTION_NAMES):
        raise ValueError(
            f'action must be in [0, {len(ACTION_NAMES)}), got {action}'
        )
    if num_frames < 1:
        raise ValueError(f'num_frames must be >= 1, got {num_frames}')
    valid = num_frames
    if rng.random() < pad_prob:
        valid = max(1, int(round(rng.uniform(0.6, 1.0) * num_frames)))
    height = rng.uniform(1.5, 1.9)
    speed = rng.uniform(0.7, 1.4)
    time = np.arange(valid) / FPS
    offset = rng.uniform(0, 2 * np.pi)
    phase = 2 * np.pi * FREQUENCY[action] * speed * time + offset
    angles = pose(action, phase, rng.uniform(0.85, 1.15), rng)
    joints = skeleton(angles, height)
    # the person turns by +-45 deg; the camera is tilted and ~3 m away
    yaw = np.deg2rad(rng.uniform(-45, 45))
    tilt = np.deg2rad(rng.uniform(-8, 8))
    cy, sy, ct, st = np.cos(yaw), np.sin(yaw), np.cos(tilt), np.sin(tilt)
    rot_yaw = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_tilt = np.array([[1, 0, 0], [0, ct, -st], [0, st, ct]])
    shift = np.array(
        [rng.uniform(-0.5, 0.5), -rng.uniform(0.8, 1.2), rng.uniform(2.5, 3.5)]
    )
    camera = (joints @ rot_yaw.T + shift) @ rot_tilt.T
    camera += rng.normal(0, 0.015, size=camera.shape)
    out = np.zeros((3, num_frames, _NTU.num_node, 2), np.float32)
    out[:, :valid, :, 0] = camera.transpose(2, 0, 1)
    return out


def make_dataset(
    num_samples: int, num_frames: int = 64, seed: Seed = 0
) -> Tuple[np.ndarray, List[str], List[int]]:
    """A class-balanced set of random clips in the ST-GCN feeder format.

    Args:
        num_samples (int): N; label ``i % num_classes`` for sample ``i``
            before a seeded shuffle.
        num_frames (int): T of every clip. Defaults to 64.
        seed (int | sequence of int | SeedSequence): Same seed, same data.

    Returns:
        tuple: ``(data, sample_names, labels)`` with ``data`` of shape
        ``(N, 3, T, 25, 2)`` float32, unique NTU-style names such as
        ``S001C002P003R001A004`` and 0-based labels (plain ints).
    """
    rng = np.random.default_rng(seed)
    num_classes = len(ACTION_NAMES)
    labels = [
        int(i) for i in rng.permutation(np.arange(num_samples) % num_classes)
    ]
    data = np.zeros((num_samples, 3, num_frames, _NTU.num_node, 2), np.float32)
    names: List[str] = []
    repeats: Dict[Tuple[int, ...], int] = {}
    for i, label in enumerate(labels):
        data[i] = make_sequence(label, num_frames, rng)
        key = tuple(int(v) for v in rng.integers(1, (18, 4, 41)))
        repeats[key + (label,)] = rep = repeats.get(key + (label,), 0) + 1
        setup, camera, person = key
        names.append(
            f'S{setup:03d}C{camera:03d}P{person:03d}R{rep:03d}A{label + 1:03d}'
        )
    return data, names, labels


def write_demo_dataset(
    out_dir: str,
    num_train: int = 600,
    num_val: int = 200,
    num_frames: int = 64,
    seed: int = 0,
) -> dict:
    """Write ``{train,val}_data.npy`` and ``{train,val}_label.pkl``.

    Each file is written atomically. The validation clips come from a
    different random stream than the training clips (other bodies, speeds
    and camera placements), so validation accuracy is held-out accuracy.

    Args:
        out_dir (str): Output folder, created when missing.
        num_train (int): Training clips. Defaults to 600.
        num_val (int): Validation clips. Defaults to 200.
        num_frames (int): Frames per clip. Defaults to 64.
        seed (int): Base seed. Defaults to 0.

    Returns:
        dict: ``train_data``, ``train_label``, ``val_data`` and
        ``val_label`` paths, plus ``num_train``, ``num_val``,
        ``num_classes``, ``num_frames`` and ``class_names``.
    """
    os.makedirs(out_dir, exist_ok=True)
    result: dict = dict(
        num_train=num_train,
        num_val=num_val,
        num_classes=len(ACTION_NAMES),
        num_frames=num_frames,
        class_names=list(ACTION_NAMES),
    )
    for split, count, split_seed in (
        ('train', num_train, [seed, 0]),
        ('val', num_val, [seed, 1]),
    ):
        data, names, labels = make_dataset(count, num_frames, split_seed)
        data_path = osp.join(out_dir, f'{split}_data.npy')
        label_path = osp.join(out_dir, f'{split}_label.pkl')
        with atomic_path(data_path) as temp, open(temp, 'wb') as file:
            np.save(file, data)  # a file object: np.save adds no suffix
        write_pickle_atomic((names, labels), label_path)
        result[f'{split}_data'] = data_path
        result[f'{split}_label'] = label_path
    return result
