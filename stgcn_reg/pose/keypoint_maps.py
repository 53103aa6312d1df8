"""BlazePose's 33 landmarks as the OpenPose-18 and COCO-17 joints.

BlazePose numbers (left/right are the person's own): 0 nose, 2/5 left/right
eye, 7/8 left/right ear, 11/12 shoulders, 13/14 elbows, 15/16 wrists,
23/24 hips, 25/26 knees, 27/28 ankles (the others are eye corners, mouth,
hands and feet, which neither layout has). OpenPose has a neck joint that
BlazePose lacks: the mean of the two shoulders, as in the reference
comparison of the two on the ST-GCN demo clip.
"""
from typing import Tuple

import numpy as np

NECK = -1  # the shoulders' mean
# OpenPose (COCO-18) order: nose, neck, R shoulder/elbow/wrist,
# L shoulder/elbow/wrist, R hip/knee/ankle, L hip/knee/ankle, R/L eye,
# R/L ear
OPENPOSE_FROM_BLAZEPOSE = (0, NECK, 12, 14, 16, 11, 13, 15, 24, 26, 28, 23,
                           25, 27, 5, 2, 8, 7)
# COCO-17 order: nose, L/R eye, L/R ear, L/R shoulder, L/R elbow,
# L/R wrist, L/R hip, L/R knee, L/R ankle
COCO_FROM_BLAZEPOSE = (0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26,
                       27, 28)
_MAPS = dict(openpose=OPENPOSE_FROM_BLAZEPOSE, coco=COCO_FROM_BLAZEPOSE)
_SHOULDERS = (11, 12)


def from_blazepose(points: np.ndarray, scores: np.ndarray,
                   layout: str) -> Tuple[np.ndarray, np.ndarray]:
    """``(33, 2)`` points and ``(33,)`` scores as the ``layout`` joints.

    The neck is the shoulders' mean, with the lower of their scores.
    """
    order = _MAPS[layout]
    index = np.array([0 if i == NECK else i for i in order])
    out_points = points[index].astype(np.float32)
    out_scores = scores[index].astype(np.float32)
    if NECK in order:
        neck = order.index(NECK)
        out_points[neck] = points[list(_SHOULDERS)].mean(0)
        out_scores[neck] = scores[list(_SHOULDERS)].min()
    return out_points, out_scores
