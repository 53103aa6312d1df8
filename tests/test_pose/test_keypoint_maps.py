"""BlazePose landmarks as OpenPose-18 and COCO-17 joints."""
import numpy as np

from stgcn_reg.graphs import LAYOUTS
from stgcn_reg.pose.keypoint_maps import from_blazepose


def landmarks():
    # landmark i at (i, 100 + i), visibility i / 100
    points = np.stack([np.arange(33), 100 + np.arange(33)], 1).astype(float)
    return points, np.arange(33) / 100


def test_openpose_joints_and_neck():
    points, scores = from_blazepose(*landmarks(), 'openpose')
    assert points.shape == (LAYOUTS['openpose'].num_node, 2)
    # nose, R shoulder (BlazePose 12), L wrist (15), L ear (7)
    assert points[0].tolist() == [0, 100]
    assert points[2].tolist() == [12, 112]
    assert points[7].tolist() == [15, 115]
    assert points[17].tolist() == [7, 107]
    # the neck is the mean of the shoulders (11, 12), the lower score
    assert points[1].tolist() == [11.5, 111.5]
    assert scores[1] == np.float32(0.11)


def test_coco_joints():
    points, scores = from_blazepose(*landmarks(), 'coco')
    assert points.shape == (17, 2)
    # COCO order: nose, L eye (2), R eye (5), L ear (7), R ear (8), ...
    assert points[:, 0].tolist() == [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16,
                                     23, 24, 25, 26, 27, 28]
    assert np.allclose(scores, points[:, 0] / 100)
