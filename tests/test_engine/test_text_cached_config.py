"""The Runner's config text is formatted once and follows changes."""
import copy
import os.path as osp
import pickle

from conftest import REPO_ROOT
from mmengine.config import Config

from stgcn_reg.engine.text_cached_config import TextCachedConfig

DEMO = osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py')


def test_same_text_as_mmengine_made_once():
    plain = Config.fromfile(DEMO)
    cached = TextCachedConfig.wrap(Config.fromfile(DEMO))
    assert isinstance(cached, Config)
    assert cached.pretty_text == plain.pretty_text
    assert cached.pretty_text is cached.pretty_text  # not formatted again
    assert plain.pretty_text is not plain.pretty_text  # mmengine's is
    assert TextCachedConfig.wrap(cached) is cached


def test_a_change_gives_new_text():
    cached = TextCachedConfig.wrap(Config.fromfile(DEMO))
    before = cached.pretty_text
    cached.train_cfg.max_epochs = 123
    cached.merge_from_dict({'model.backbone.dropout': 0.25})
    assert cached.pretty_text != before
    assert 'max_epochs=123' in cached.pretty_text
    assert 'dropout=0.25' in cached.pretty_text
    assert '_pretty_text_cache' not in cached.to_dict()


def test_copies_and_pickles_stay_cached_configs():
    cached = TextCachedConfig.wrap(Config.fromfile(DEMO))
    text = cached.pretty_text
    assert type(copy.copy(cached)) is TextCachedConfig
    for other in (copy.deepcopy(cached), pickle.loads(pickle.dumps(cached))):
        assert type(other) is TextCachedConfig
        assert other.pretty_text == text
        other.train_cfg.max_epochs = 7
        assert 'max_epochs=7' in other.pretty_text
    assert 'max_epochs=7' not in cached.pretty_text
