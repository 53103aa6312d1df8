"""One builder for a config's model."""
from mmengine.config import Config
from tool_runner import DEMO_CONFIG

from stgcn_reg.checkpoints import build_model_from_config


def test_a_config_or_its_model_part():
    cfg = Config.fromfile(DEMO_CONFIG)
    from_config = build_model_from_config(cfg)
    from_model_cfg = build_model_from_config(cfg.model.to_dict())
    assert type(from_config).__name__ == 'SkeletonRecognizer'
    assert list(from_config.state_dict()) == list(
        from_model_cfg.state_dict())
