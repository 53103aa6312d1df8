"""MediaPipe BlazePose on the real shared clips: accuracy against the
reference tool's OpenPose output, two people at once, stable slots."""
import json

import numpy as np
import pytest
from video_fixtures import (
    CLEAN_AND_JERK,
    OPENPOSE_REFERENCE,
    need_videos,
    read_frames,
)

pytestmark = pytest.mark.slow

# OpenPose joints of the torso: neck, shoulders, hips
TORSO = (1, 2, 5, 8, 11)
# the two-people test runs on the first frames of the joined video
JOINED_FRAMES = 75


@pytest.fixture(scope='module')
def clean_and_jerk_frames():
    need_videos()
    return read_frames(CLEAN_AND_JERK)


@pytest.fixture(scope='module')
def estimator():
    need_videos()
    from stgcn_reg.registry import POSE_ESTIMATORS
    built = POSE_ESTIMATORS.build(dict(type='MediaPipePose', max_persons=2))
    yield built
    built.close()


@pytest.fixture(scope='module')
def single(clean_and_jerk_frames, estimator):
    from stgcn_reg.pose import VideoPoses, estimate_video
    return VideoPoses(estimate_video(estimator, clean_and_jerk_frames),
                      'openpose').to_array()


def torso_pck(ours: np.ndarray, size=(340, 256)) -> float:
    """PCK@0.2 of the torso size against the reference OpenPose JSON."""
    reference = json.load(open(OPENPOSE_REFERENCE))
    hits = []
    for frame in reference['data']:
        t = frame['frame_index']
        if not frame['skeleton'] or t >= ours.shape[1]:
            continue
        pose = np.reshape(frame['skeleton'][0]['pose'], (-1, 2)) * size
        score = np.asarray(frame['skeleton'][0]['score'])
        mine = ours[:2, t, :, 0].T * size
        torso = np.linalg.norm(pose[1] - (pose[8] + pose[11]) / 2)
        for joint in TORSO:
            if score[joint] > 0.1 and ours[2, t, joint, 0] > 0:
                hits.append(np.linalg.norm(mine[joint] - pose[joint])
                            <= 0.2 * torso)
    return float(np.mean(hits))


def test_clean_and_jerk_matches_the_reference_openpose(single):
    # one person, found in every frame, close to OpenPose's joints
    assert (single[2, :, :, 0].sum(1) > 0).all()
    assert torso_pck(single) >= 0.9
    assert (single[2, :, :, 1] == 0).all()  # nobody else


def test_two_people_side_by_side_keep_their_slots(clean_and_jerk_frames,
                                                  estimator, single):
    from stgcn_reg.pose import VideoPoses, estimate_video
    # a second person: the clip mirrored and played backwards; the first
    # JOINED_FRAMES frames of that joined video (the estimator is causal:
    # a frame's people depend only on the frames before it)
    second = [frame[:, ::-1] for frame in clean_and_jerk_frames[::-1]]
    joined = [np.ascontiguousarray(np.concatenate([a, b], 1))
              for a, b in zip(clean_and_jerk_frames[:JOINED_FRAMES],
                              second)]
    both = VideoPoses(estimate_video(estimator, joined),
                      'openpose').to_array()
    assert both.shape[1] == len(joined)
    centres = []
    for slot in (0, 1):
        found = both[2, :, :, slot].sum(1) > 0
        assert found.mean() >= 0.8, f'slot {slot} found in {found.mean()}'
        x = both[0, found, :, slot].mean(1)
        # a slot stays on one side of the joined frame
        assert (x < 0.5).all() or (x > 0.5).all()
        centres.append(x.mean())
    left = int(np.argmin(centres))
    right = 1 - left
    # each slot matches its own clip (x halved on the joined frame)
    length = len(joined)
    expected_left = single[:2, :length, :, 0] * [[[0.5]], [[1]]]
    expected_right = single[:2, ::-1, :, 0][:, :length] * \
        [[[-0.5]], [[1]]] + [[[1]], [[0]]]
    for slot, expected in ((left, expected_left), (right, expected_right)):
        found = (both[2, :, :, slot] > 0.5) & (
            np.abs(expected).sum(0) > 0)
        error = np.abs(both[:2, :, :, slot] - expected)[:, found]
        assert np.median(error) < 0.02, slot
