"""Small helpers shared by the package and its tools."""
from .atomic_io import atomic_path, write_pickle_atomic
from .safe_pickle import UnsafePickleError, safe_load_pickle

__all__ = [
    'UnsafePickleError', 'atomic_path', 'safe_load_pickle',
    'write_pickle_atomic'
]
