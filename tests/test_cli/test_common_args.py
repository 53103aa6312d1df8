"""Shared flags: --fps from the command line, the config, or 30."""
import argparse

import pytest
from mmengine.config import Config

from stgcn_reg.cli.common_args import add_frame_rate, frame_rate


def parsed(*argv, from_config=True):
    parser = argparse.ArgumentParser()
    add_frame_rate(parser, from_config=from_config)
    return parser.parse_args(list(argv))


def test_frame_rate_from_flag_config_or_kinetics():
    from_videos = Config(dict(video_fps=25.0))
    own_rate = Config(dict(video_fps=None))
    assert frame_rate(parsed(), from_videos) == 25.0
    assert frame_rate(parsed(), own_rate) is None
    assert frame_rate(parsed(), Config({})) == 30.0
    assert frame_rate(parsed('--fps', '60'), from_videos) == 60.0
    assert frame_rate(parsed('--fps', '0'), from_videos) is None
    assert frame_rate(parsed(from_config=False)) == 30.0
    with pytest.raises(ValueError, match='--fps must be > 0, or 0'):
        frame_rate(parsed('--fps', '-5'))
