"""The sliding-window classifier of the video demo: no action is claimed
for frames in which nobody was found."""
import os.path as osp

import numpy as np
import pytest
from conftest import REPO_ROOT

from stgcn_reg.apis import init_recognizer
from stgcn_reg.apis.video_inference import (
    SlidingWindowClassifier,
    seconds_per_window,
)
from stgcn_reg.pose.estimator import PersonPose

KINETICS = osp.join(REPO_ROOT, 'configs', 'stgcn_kinetics.py')
TINY = {'model.backbone.channels': [8, 8, 16, 16],
        'model.backbone.strides': [1, 2, 1, 1],
        'model.cls_head.in_channels': 16}


@pytest.fixture(scope='module')
def model():
    return init_recognizer(KINETICS, cfg_options=TINY)


def test_an_empty_window_is_not_classified(model):
    recognizer, cfg = model
    rng = np.random.default_rng(0)
    someone = [PersonPose(rng.uniform(0, 1, (18, 2)).astype(np.float32),
                          np.full(18, 0.9, np.float32))]
    classifier = SlidingWindowClassifier(recognizer, cfg, 'openpose', 4, 4,
                                         topk=2)
    frames = [[]] * 4 + [[None]] * 4 + [someone] + [[]] * 3
    windows = [w for w in map(classifier.push, frames) if w is not None]
    assert [(w.start, w.end) for w in windows] == [(0, 4), (4, 8), (8, 12)]
    assert windows[0].nobody and windows[1].nobody
    assert windows[0].as_dict(['a']) == dict(start=0, end=4, labels=[],
                                             scores=[], nobody=True)
    assert classifier.predictions == 1  # the model ran once, for frame 8
    last = windows[2].as_dict()
    assert len(last['labels']) == 2 and 'nobody' not in last
    assert sum(last['scores']) <= 1.0
    # the live stride is timed on a window with someone in it
    assert seconds_per_window(recognizer, cfg, 'openpose', 4) > 0
