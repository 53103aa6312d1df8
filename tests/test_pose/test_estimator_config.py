"""A pose estimator's config from the tools' flags, checked before it is
built; BlazePose lite offline is one clear error."""
import pytest

from stgcn_reg.pose.estimator_config import estimator_config


def test_options_are_checked_against_the_estimator():
    assert estimator_config('MediaPipePose', {'search_interval': 10},
                            layout='coco', max_persons=1) == dict(
        type='MediaPipePose', search_interval=10, layout='coco',
        max_persons=1)
    with pytest.raises(ValueError, match="--estimator-options foo: "
                       'MediaPipePose takes no such option [(]it takes: '
                       'model_complexity, min_detection_confidence'):
        estimator_config('MediaPipePose', {'foo': 1})
    with pytest.raises(ValueError, match='max_persons: set by the tool '
                       r"\(the model's layout or --max-persons\)"):
        estimator_config('MediaPipePose', {'max_persons': 3})
    with pytest.raises(ValueError, match="--estimator 'OpenPose' is not a "
                       'registered pose estimator [(]registered: '
                       'MediaPipePose'):
        estimator_config('OpenPose')


def test_blazepose_lite_is_fetched_or_refused_in_one_line():
    pytest.importorskip('mediapipe')
    from stgcn_reg.registry import POSE_ESTIMATORS
    try:
        built = POSE_ESTIMATORS.build(
            estimator_config('MediaPipePose', {'model_complexity': 0}))
    except ValueError as error:  # offline, as on the CI machines
        assert str(error).startswith(
            'MediaPipePose: BlazePose lite (model_complexity=0) is not in '
            'the mediapipe wheel and could not be downloaded (')
        assert 'use model_complexity=1' in str(error)
    else:  # online: mediapipe fetched it, and it runs
        import numpy as np
        assert built(np.zeros((64, 64, 3), np.uint8)) == []
        built.close()
