"""mediapipe's start-up notices leave the terminal; every other line of
file descriptor 2, and errors, stay."""
import os
import warnings

import numpy as np
import pytest
from video_fixtures import CLEAN_AND_JERK, need_videos, read_frames

from stgcn_reg.pose.native_log_filter import (
    QuietFirstFrame,
    start_up_notices_dropped,
)

NOTICE = (b'W0000 00:00:1796326036.911844    7095 inference_feedback_manager'
          b'.cc:114] Feedback manager requires a model with a single '
          b'signature inference. Disabling support for feedback tensors.\n')


def test_notices_go_other_lines_stay(capfd):
    with start_up_notices_dropped():
        os.write(2, b'INFO: Created TensorFlow Lite XNNPACK delegate for '
                    b'CPU.\n')
        os.write(2, NOTICE)
        os.write(2, b'E0000 a real native error\n')
    os.write(2, NOTICE)  # outside the block: left alone
    err = capfd.readouterr().err
    assert 'a real native error' in err
    assert err.count('Feedback manager') == 1
    assert 'XNNPACK' not in err


def test_an_error_in_the_block_keeps_its_output(capfd):
    with pytest.raises(RuntimeError, match='graph failed'):
        with start_up_notices_dropped():
            os.write(2, b'F0000 calculator could not open\n')
            raise RuntimeError('graph failed')
    os.write(2, b'after\n')  # stderr is restored
    assert capfd.readouterr().err == 'F0000 calculator could not open\nafter\n'


def test_real_blazepose_starts_quietly(capfd):
    pytest.importorskip('mediapipe')
    from stgcn_reg.pose.backend_imports import import_mediapipe
    solution = import_mediapipe().solutions.pose
    frame = np.zeros((128, 128, 3), np.uint8)
    raw = solution.Pose(static_image_mode=True)
    raw.process(frame)
    raw.close()
    assert 'Feedback manager' in capfd.readouterr().err  # what is dropped
    quiet = QuietFirstFrame(solution.Pose(static_image_mode=True))
    assert quiet.process(frame).pose_landmarks is None  # nobody there
    quiet.process(frame)
    quiet.close()
    assert 'Feedback manager' not in capfd.readouterr().err


def test_protobuf_deprecation_of_mediapipe_is_silenced():
    pytest.importorskip('mediapipe')
    need_videos()
    from stgcn_reg.pose.backend_imports import import_mediapipe
    frame = read_frames(CLEAN_AND_JERK)[0]
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # any other warning still raises
        pose = import_mediapipe().solutions.pose.Pose(static_image_mode=True)
        # reading the found person's landmarks warned before
        assert pose.process(frame).pose_landmarks is not None
        pose.close()
