"""Build a config's model in this package's scope."""
from typing import Mapping, Union

from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope
from torch import nn

from stgcn_reg.registry import MODELS


def build_model_from_config(cfg: Union[Config, Mapping]) -> nn.Module:
    """The model of a whole config (its ``model``) or of a model config."""
    model_cfg = cfg.model if isinstance(cfg, Config) else cfg
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        return MODELS.build(ConfigDict(model_cfg))
