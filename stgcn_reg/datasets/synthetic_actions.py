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

from stgcn_reg.utils.atomic_io import atomic_path, write_pickle_atomic

ACTION_NAMES: Tuple[str, ...] = (
    'wave_right_arm',
    'raise_both_arms',
    'clap',
    'squat',
    'kick_right_leg',
    'bow',
    'jump',
    'walk_in_place',
)
# cycles per second of each action at speed 1.0
_FREQUENCY = (1.5, 0.5, 1.8, 0.5, 0.7, 0.5, 0.9, 0.9)
FPS = 30.0
PAD_PROB = 0.25  # fraction of clips shorter than num_frames (zero padded)
NUM_JOINTS = 25
Seed = Union[int, Sequence[int], np.random.SeedSequence]

# trunk joints relative to the hip centre, in units of body height
# (x: the person's right, y: up, z: behind; the person faces -z)
_TRUNK = {
    1: (0.0, 0.12, 0.0),
    20: (0.0, 0.29, 0.0),
    2: (0.0, 0.33, 0.0),
    3: (0.0, 0.40, -0.01),
    4: (-0.11, 0.275, 0.0),
    8: (0.11, 0.275, 0.0),
}
# side -> (shoulder, elbow, wrist, hand, hand tip, thumb, hip, knee,
#          ankle, foot) joint indices; side is -1 (left) or +1 (right)
_CHAIN = {
    -1: (4, 5, 6, 7, 21, 22, 12, 13, 14, 15),
    1: (8, 9, 10, 11, 23, 24, 16, 17, 18, 19),
}
# bone lengths / body height: upper arm, forearm, wrist->hand, hand->tip,
# thumb, thigh, shin, foot; hip joint half width and drop below hip centre
_UPPER, _FORE, _HAND, _TIP, _THUMB = 0.17, 0.15, 0.045, 0.04, 0.035
_THIGH, _SHIN, _FOOT, _HIP_X, _HIP_Y = 0.245, 0.225, 0.06, 0.055, 0.02


def _direction(elev, azim, side: int) -> np.ndarray:
    """Unit vectors ``(T, 3)`` from elevation and azimuth (radians).

    ``elev`` is the angle above the horizontal (-pi/2 points down, past
    pi/2 leans towards the body's midline); ``azim`` the horizontal angle
    from straight ahead towards the ``side`` (pi/2 is sideways outwards).
    """
    elev, azim = np.broadcast_arrays(elev, azim)
    cos_e = np.cos(elev)
    return np.stack(
        [side * cos_e * np.sin(azim), np.sin(elev), -cos_e * np.cos(azim)],
        axis=-1,
    )


def _pose(
    action: int, phase: np.ndarray, amp: float, rng: np.random.Generator
) -> Dict[str, np.ndarray]:
    """Joint angles (radians) of ``action`` at each phase value."""
    rest = rng.uniform(-85, -75, size=2)  # arms hang slightly outwards
    sway = 2.0 * np.sin(0.3 * phase)
    up = 0.5 - 0.5 * np.cos(phase)  # 0 (rest) .. 1 (full motion)
    wave = np.sin(phase)
    # in degrees: arms (upper elev, upper azim, fore elev, fore azim),
    # legs (thigh flexion, knee bend), trunk pitch (forward bend)
    arms = {
        s: (r + sway, 90, r + 10 + sway, 30) for s, r in zip((-1, 1), rest)
    }
    legs = {-1: (0, 0), 1: (0, 0)}
    pitch, lift = 0.0 * phase, 0.0 * phase  # lift: metres off the ground
    if action == 0:  # wave_right_arm: forearm swings in the frontal plane
        arms[1] = (15 * amp, 80, 95 + 30 * amp * wave, 80)
    elif action == 1:  # raise_both_arms: sideways up to overhead
        for s, r in zip((-1, 1), rest):
            elev = r + (80 + 8 * amp - r) * up
            arms[s] = (elev, 90, elev, 90)
    elif action == 2:  # clap: hands meet in front of the chest
        arms[-1] = arms[1] = (-15, 45 - 25 * up, 5, 15 - 75 * amp * up)
    elif action == 3:  # squat: knees forward, arms stretched ahead
        flex = 95 * amp * up
        legs[-1] = legs[1] = (flex, 1.4 * flex)
        pitch = 0.45 * flex
        arms[-1] = arms[1] = (-80 + 70 * up, 15, -80 + 70 * up, 10)
    elif action == 4:  # kick_right_leg: knee lifts, then the leg extends
        stretch = np.clip(-np.cos(phase), 0, None)  # 1 at the top
        legs[1] = (70 * amp * up, 90 * up * (1 - stretch))
        pitch = -10 * up
        for s, r in zip((-1, 1), rest):
            arms[s] = (r + 25 * up, 90, r + 25 * up, 30)
    elif action == 5:  # bow: trunk bends forward at the hips
        pitch = 65 * amp * up
        legs[-1] = legs[1] = (0.15 * pitch, 0.15 * pitch)
    elif action == 6:  # jump: crouch, take off with an arm swing, land
        air, crouch = np.clip(wave, 0, None), np.clip(-wave, 0, None)
        legs[-1] = legs[1] = (55 * amp * crouch, 82 * amp * crouch)
        pitch, lift = 27 * amp * crouch, 0.16 * amp * air
        elev = -90 + 130 * air - 30 * (crouch > 0)
        arms[-1] = arms[1] = (elev, 5, elev + 15, 0)
    elif action == 7:  # walk_in_place: alternating knees, arms swing
        for s in (-1, 1):
            flex = 50 * amp * np.clip(s * wave, 0, None)
            legs[s] = (flex, 1.6 * flex)
            swing = -90 - s * 30 * amp * wave
            arms[s] = (swing, 0, swing + 20, 0)
    else:
        raise ValueError(f'action must be in [0, {len(ACTION_NAMES)})')

    def radians(*angles) -> np.ndarray:
        return np.deg2rad(np.stack(np.broadcast_arrays(phase, *angles)[1:]))

    pose = dict(pitch=radians(pitch)[0], lift=lift + 0.0 * phase)
    pose.update({f'arm{s}': radians(*arms[s]) for s in (-1, 1)})
    pose.update({f'leg{s}': radians(*legs[s]) for s in (-1, 1)})
    return pose


def _skeleton(pose: Dict[str, np.ndarray], height: float) -> np.ndarray:
    """Body-frame joints ``(T, 25, 3)`` of a pose, feet on the ground."""
    num = pose['pitch'].shape[0]
    joints = np.zeros((num, NUM_JOINTS, 3))
    # the trunk pitches about the hip centre (x axis)
    pitch = pose['pitch'][:, None]
    cos_p, sin_p = np.cos(pitch), np.sin(pitch)
    trunk_x, trunk_y, trunk_z = np.array(list(_TRUNK.values())).T * height
    index = list(_TRUNK)
    joints[:, index, 0] = trunk_x
    joints[:, index, 1] = trunk_y * cos_p + trunk_z * sin_p
    joints[:, index, 2] = trunk_z * cos_p - trunk_y * sin_p
    ahead = np.zeros(num)  # azimuth of the legs: straight ahead
    for side, chain in _CHAIN.items():
        shoulder, elbow, wrist, hand, tip, thumb = chain[:6]
        hip, knee, ankle, foot = chain[6:]
        up_e, up_a, fo_e, fo_a = pose[f'arm{side}']
        upper = _UPPER * height * _direction(up_e, up_a, side)
        fore = _direction(fo_e, fo_a, side)
        joints[:, elbow] = joints[:, shoulder] + upper
        joints[:, wrist] = joints[:, elbow] + _FORE * height * fore
        joints[:, hand] = joints[:, wrist] + _HAND * height * fore
        joints[:, tip] = joints[:, hand] + _TIP * height * fore
        thumb_dir = 0.6 * fore + np.array([-0.5 * side, 0.0, -0.6])
        thumb_dir /= np.linalg.norm(thumb_dir, axis=-1, keepdims=True) + 1e-6
        joints[:, thumb] = joints[:, hand] + _THUMB * height * thumb_dir
        flex, bend = pose[f'leg{side}']
        shin = flex - bend - np.pi / 2  # elevation of the shin
        thigh = _THIGH * height * _direction(flex - np.pi / 2, ahead, side)
        toes = np.clip(shin + np.pi / 2, 0, None)  # flat unless kicking
        joints[:, hip] = np.array([side * _HIP_X, -_HIP_Y, 0.0]) * height
        joints[:, knee] = joints[:, hip] + thigh
        joints[:, ankle] = joints[:, knee] + _SHIN * height * _direction(
            shin, ahead, side
        )
        joints[:, foot] = joints[:, ankle] + _FOOT * height * _direction(
            toes, ahead, side
        )
    # stand the lower ankle on the ground (ankle height 4 cm), then jump
    ground = np.minimum(joints[:, 14, 1], joints[:, 18, 1])
    joints[..., 1] += (0.04 * height - ground + pose['lift'])[:, None]
    return joints


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
    phase = 2 * np.pi * _FREQUENCY[action] * speed * time + offset
    pose = _pose(action, phase, rng.uniform(0.85, 1.15), rng)
    joints = _skeleton(pose, height)
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
    out = np.zeros((3, num_frames, NUM_JOINTS, 2), np.float32)
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
    data = np.zeros((num_samples, 3, num_frames, NUM_JOINTS, 2), np.float32)
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
