"""Joint-angle kinematics of the synthetic actions on a 25-joint skeleton.

Each action is a few joint angles (arms, legs, trunk pitch, lift) as
functions of a phase; :func:`skeleton` turns them into body-frame NTU
RGB+D joints with bone lengths proportional to the body height.
"""

from typing import Dict, Tuple

import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS

# the joints of both NTU graphs, in NTU order
_NTU = LAYOUTS['ntu-rgb+d']

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
FREQUENCY = (1.5, 0.5, 1.8, 0.5, 0.7, 0.5, 0.9, 0.9)



def _joint(name: str) -> int:
    """0-based index of the NTU joint ``name``."""
    return _NTU.joint_names.index(name)


# trunk joints relative to the hip centre, in units of body height
# (x: the person's right, y: up, z: behind; the person faces -z)
_TRUNK = {
    _joint('spine_mid'): (0.0, 0.12, 0.0),
    _joint('spine_shoulder'): (0.0, 0.29, 0.0),
    _joint('neck'): (0.0, 0.33, 0.0),
    _joint('head'): (0.0, 0.40, -0.01),
    _joint('left_shoulder'): (-0.11, 0.275, 0.0),
    _joint('right_shoulder'): (0.11, 0.275, 0.0),
}
# side -> (shoulder, elbow, wrist, hand, hand tip, thumb, hip, knee,
#          ankle, foot) joint indices; side is -1 (left) or +1 (right)
_CHAIN = {
    number: tuple(
        _joint(f'{side}_{part}')
        for part in ('shoulder', 'elbow', 'wrist', 'hand', 'hand_tip',
                     'thumb', 'hip', 'knee', 'ankle', 'foot'))
    for number, side in ((-1, 'left'), (1, 'right'))
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


def pose(
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


def skeleton(pose: Dict[str, np.ndarray], height: float) -> np.ndarray:
    """Body-frame joints ``(T, 25, 3)`` of a pose, feet on the ground."""
    num = pose['pitch'].shape[0]
    joints = np.zeros((num, _NTU.num_node, 3))
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
    ground = np.minimum(joints[:, _joint('left_ankle'), 1],
                        joints[:, _joint('right_ankle'), 1])
    joints[..., 1] += (0.04 * height - ground + pose['lift'])[:, None]
    return joints
