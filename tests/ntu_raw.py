"""Raw NTU RGB+D ``.skeleton`` files for tests: synthetic text, real files."""
import glob
import os.path as osp

import numpy as np

# name -> (label, xsub split, xview split), per the benchmark lists
REAL_SAMPLES = {
    'S001C001P001R001A001': (0, 'train', 'val'),
    'S001C001P001R001A011': (10, 'train', 'val'),
    'S002C001P003R001A003': (2, 'val', 'val'),
    'S004C002P003R001A017': (16, 'val', 'train'),
}


def body(body_id: int, frame: int, speed: float = 0.0, num_joints=25):
    """``(bodyID, xyz)`` of a synthetic body moving ``speed`` per frame."""
    joint = np.arange(num_joints)
    xyz = np.stack(
        [
            body_id + 0.01 * joint + speed * frame,
            0.02 * joint,
            3.0 + speed * frame + 0 * joint,
        ],
        1,
    )
    return body_id, xyz


def skeleton_text(frames, newline: str = '\n') -> str:
    """Raw text of ``frames``: per frame a list of ``(bodyID, xyz)``."""
    lines = [str(len(frames))]
    for bodies in frames:
        lines.append(str(len(bodies)))
        for body_id, xyz in bodies:
            lines.append(f'{body_id} 0 1 1 1 1 0 0.0276 0.0574 2')
            lines.append(str(len(xyz)))
            lines += [
                f'{x:.6f} {y:.6f} {z:.6f} 277.4 191.8 1036.2 519.2 -0.21 '
                '0.05 0.97 -0.12 2'
                for x, y, z in xyz
            ]
    return newline.join(lines) + newline


def write(folder, name: str, frames, newline: str = '\n') -> str:
    path = osp.join(str(folder), name)
    with open(path, 'w', newline='') as file:
        file.write(skeleton_text(frames, newline))
    return path


def one_body_frames(num_frames: int = 3, speed: float = 0.1):
    return [[body(7, t, speed)] for t in range(num_frames)]


def real_ntu_files(shared_data: str) -> dict:
    """The shared real ``.skeleton`` files by sample name."""
    paths = sorted(glob.glob(osp.join(shared_data, 'ntu', '*.skeleton')))
    return {osp.basename(p)[: -len('.skeleton')]: p for p in paths}
