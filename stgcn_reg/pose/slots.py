"""Keep each person in the same slot (0 .. max_persons - 1) across frames."""
from dataclasses import dataclass
from typing import List, Optional

import numpy as np

from .crop_track import iou
from .estimator import PersonPose


@dataclass
class _Slot:
    track_id: Optional[int]
    box: np.ndarray
    last_seen: int


class SlotAssigner:
    """Gives the people of each frame stable slots.

    A person goes back to their slot by the estimator's ``track_id``, else
    by the overlap of their box with the slot's last box; new people take
    free slots, the most confident first. A slot is free again once its
    person has been away ``max_gap`` frames.

    Args:
        max_persons (int): Number of slots.
        max_gap (int): Frames a slot waits for its person.
    """

    def __init__(self, max_persons: int, max_gap: int = 30) -> None:
        self.max_persons = max_persons
        self.max_gap = max_gap
        self._slots: List[Optional[_Slot]] = [None] * max_persons
        self._frame = 0

    def __call__(self, people: List[PersonPose]) -> List[Optional[PersonPose]]:
        """``max_persons`` entries: the person of each slot, or None."""
        placed: List[Optional[PersonPose]] = [None] * self.max_persons
        left = self._place_by_id(people, placed)
        left = self._place_by_overlap(left, placed)
        for person in sorted(left, key=lambda p: -p.score):
            free = [i for i in range(self.max_persons)
                    if placed[i] is None and self._is_free(i)]
            if free:
                placed[free[0]] = person
        for index, person in enumerate(placed):
            if person is not None:
                self._slots[index] = _Slot(person.track_id, person.box(),
                                           self._frame)
        self._frame += 1
        return placed

    def _is_free(self, index: int) -> bool:
        slot = self._slots[index]
        return slot is None or self._frame - slot.last_seen > self.max_gap

    def _place_by_id(self, people: List[PersonPose],
                     placed: list) -> List[PersonPose]:
        left = []
        for person in people:
            index = next(
                (i for i, slot in enumerate(self._slots)
                 if slot is not None and person.track_id is not None
                 and slot.track_id == person.track_id
                 and placed[i] is None), None)
            if index is None:
                left.append(person)
            else:
                placed[index] = person
        return left

    def _place_by_overlap(self, people: List[PersonPose],
                          placed: list) -> List[PersonPose]:
        pairs = sorted(
            ((iou(person.box(), slot.box), index, number)
             for number, person in enumerate(people)
             for index, slot in enumerate(self._slots)
             if slot is not None and not self._is_free(index)),
            reverse=True)
        used = set()
        for overlap, index, number in pairs:
            if overlap < 0.1:
                break
            if placed[index] is None and number not in used:
                placed[index] = people[number]
                used.add(number)
        return [p for n, p in enumerate(people) if n not in used]


def rank_slots(frames: List[List[Optional[PersonPose]]]
               ) -> List[List[Optional[PersonPose]]]:
    """Reorder slots so slot 0 holds the most confident person over the
    whole video (the Kinetics tools rank people by summed score)."""
    if not frames:
        return frames
    totals = np.zeros(len(frames[0]))
    for people in frames:
        for index, person in enumerate(people):
            if person is not None:
                totals[index] += float(person.scores.sum())
    order = np.argsort(-totals, kind='stable')
    return [[people[i] for i in order] for people in frames]
