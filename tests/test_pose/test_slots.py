"""People keep their slots across frames; slots are ranked by score."""
import numpy as np

from stgcn_reg.pose import PersonPose, SlotAssigner, rank_slots


def person(x, score=0.9, track_id=None):
    # a body 0.1 wide centred on x
    xs = x + np.linspace(-0.05, 0.05, 18)
    points = np.stack([xs, np.linspace(0.2, 0.8, 18)], 1)
    return PersonPose(points.astype(np.float32),
                      np.full(18, score, np.float32), track_id)


def test_slots_follow_track_ids_and_boxes():
    slots = SlotAssigner(2)
    first = slots([person(0.2, track_id=7), person(0.7, track_id=8)])
    # the estimator lists them the other way round: ids keep the slots
    second = slots([person(0.71, track_id=8), person(0.21, track_id=7)])
    assert [p.track_id for p in first] == [7, 8]
    assert [p.track_id for p in second] == [7, 8]
    # no ids: the box overlap keeps them
    third = slots([person(0.72), person(0.22)])
    left, right = (p.keypoints[:, 0].mean() for p in third)
    assert left < 0.5 < right


def test_missing_person_leaves_an_empty_slot():
    slots = SlotAssigner(2)
    slots([person(0.2), person(0.7)])
    only_right = slots([person(0.7)])
    assert only_right[0] is None and only_right[1] is not None
    assert slots([]) == [None, None]


def test_slots_are_ranked_by_summed_score():
    frames = [[person(0.2, 0.3), person(0.7, 0.9)],
              [None, person(0.7, 0.9)]]
    ranked = rank_slots(frames)
    assert ranked[0][0].keypoints[:, 0].mean() > 0.5
    assert ranked[1][1] is None
