"""A Config that formats its text once, not at every log line and save."""
from typing import Tuple

from mmengine.config import Config


class TextCachedConfig(Config):
    """:class:`mmengine.config.Config` whose ``pretty_text`` is cached.

    mmengine formats the whole config with yapf each time ``pretty_text``
    is read: when the Runner logs and dumps the config, and in the meta of
    every checkpoint it saves (0.1-0.2 s each, a large part of a short
    run). The text is kept with the content it was made from and made
    again when the content changed.
    """

    @classmethod
    def wrap(cls, cfg: Config) -> 'TextCachedConfig':
        """The same config (its dict is shared) as a TextCachedConfig."""
        if isinstance(cfg, cls):
            return cfg
        wrapped = cls.__new__(cls)
        for key, value in cfg.__dict__.items():
            # Config.__setattr__ would store into the config's dict
            object.__setattr__(wrapped, key, value)
        return wrapped

    def _content_key(self) -> Tuple[str, bool]:
        return (repr(self._cfg_dict),
                bool(getattr(self, '_format_python_code', True)))

    @property
    def pretty_text(self) -> str:
        """``Config.pretty_text``, formatted again only after a change."""
        key = self._content_key()
        cached = self.__dict__.get('_pretty_text_cache')
        if cached is None or cached[0] != key:
            cached = (key, Config.pretty_text.fget(self))
            object.__setattr__(self, '_pretty_text_cache', cached)
        return cached[1]
