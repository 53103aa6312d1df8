"""What the transforms share: argument checks, the keypoint array, repr."""
from typing import Any

import numpy as np


def check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an int, or raise if it is not an int >= minimum."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, np.integer)
    ):
        raise ValueError(
            f'{name} must be an integer >= {minimum}, got {value!r} '
            f'({type(value).__name__})'
        )
    if value < minimum:
        raise ValueError(
            f'{name} must be an integer >= {minimum}, got {value}'
        )
    return int(value)


def get_keypoint(results: dict, transform: object) -> np.ndarray:
    """Fetch ``results['keypoint']`` as float32 and check it is 4-D."""
    name = type(transform).__name__
    if 'keypoint' not in results:
        raise KeyError(
            f"{name} requires results['keypoint'], got keys {sorted(results)}"
        )
    keypoint = np.asarray(results['keypoint'], dtype=np.float32)
    if keypoint.ndim != 4:
        raise ValueError(
            f"{name}: expected results['keypoint'] of shape (C, T, V, M), "
            f'got shape {keypoint.shape}'
        )
    return keypoint


def transform_repr(transform: object, *names: str, **values: Any) -> str:
    """``Name(a=..., b=...)`` of the attributes ``names``, then ``values``."""
    fields = {name: getattr(transform, name) for name in names}
    fields.update(values)
    args = ', '.join(f'{key}={value!r}' for key, value in fields.items())
    return f'{type(transform).__name__}({args})'
