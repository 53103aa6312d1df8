"""Where stgcn_reg keeps what it caches: downloads, measured kernel routes."""
import os
import os.path as osp

CACHE_ENV = 'STGCN_REG_CACHE'


def cache_root() -> str:
    """``$STGCN_REG_CACHE``, else ``~/.cache/stgcn_reg``."""
    return os.environ.get(CACHE_ENV) or osp.join(
        osp.expanduser('~'), '.cache', 'stgcn_reg')
