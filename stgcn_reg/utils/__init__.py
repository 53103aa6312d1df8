"""Small helpers shared by the package and its tools."""
from .atomic_io import atomic_path, write_json_atomic, write_pickle_atomic
from .output_guard import (
    OutputOverwritesInputError,
    exit_if_overwriting_inputs,
    refuse_overwriting_inputs,
)
from .safe_pickle import UnsafePickleError, safe_load_pickle

__all__ = [
    'OutputOverwritesInputError', 'UnsafePickleError', 'atomic_path',
    'exit_if_overwriting_inputs', 'refuse_overwriting_inputs',
    'safe_load_pickle', 'write_json_atomic', 'write_pickle_atomic'
]
