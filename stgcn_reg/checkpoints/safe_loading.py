"""Load checkpoints with ``torch.load(weights_only=True)`` and an allowlist.

mmengine's checkpoints hold, besides tensors, its message hub (with
``HistoryBuffer`` objects that pickle their statistics methods through
``getattr``) and numpy scalars/arrays. Since torch 2.6 ``torch.load``
refuses those by default, which breaks ``--resume``. Instead of
``weights_only=False`` (which runs any code a file names), exactly these
globals are allowed, and ``getattr`` only on ``HistoryBuffer``'s own
statistics methods.
"""
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

_HISTORY_BUFFER_METHODS = frozenset(('min', 'max', 'current', 'mean'))


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint names code outside the allowlist."""


def _restricted_getattr(owner: Any, name: str) -> Any:
    """``getattr`` limited to what mmengine pickles: HistoryBuffer methods."""
    if owner is HistoryBuffer and name in _HISTORY_BUFFER_METHODS:
        return getattr(owner, name)
    raise UnsafeCheckpointError(
        f'checkpoint asks for getattr({owner!r}, {name!r}); only '
        f'HistoryBuffer statistics methods are allowed')


def _numpy_globals() -> List[Union[Callable, Tuple[Callable, str]]]:
    """numpy reconstructors under the module names numpy 1.x and 2.x use."""
    from numpy.core import multiarray  # noqa: F401 (alias kept by numpy 2)
    reconstruct = np.ndarray.__reduce__(np.zeros(1))[0]
    scalar = np.float64(0).__reduce__()[0]
    entries: List[Union[Callable, Tuple[Callable, str]]] = [
        np.ndarray, np.dtype
    ]
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        entries.append((reconstruct, f'{module}._reconstruct'))
        entries.append((scalar, f'{module}.scalar'))
    for dtype_class in vars(np.dtypes).values():
        if isinstance(dtype_class, type) and issubclass(dtype_class, np.dtype):
            entries.append(dtype_class)
    return entries


def allowed_checkpoint_globals(
) -> List[Union[Callable, Tuple[Callable, str]]]:
    """Everything besides tensors that this framework's checkpoints hold."""
    return [
        HistoryBuffer,
        (_restricted_getattr, 'builtins.getattr'),
        *_numpy_globals(),
    ]


def allow_mmengine_checkpoints() -> None:
    """Register the allowlist with ``torch.serialization`` (idempotent)."""
    torch.serialization.add_safe_globals(allowed_checkpoint_globals())


def load_checkpoint_file(filename: str,
                         map_location: Optional[Any] = None,
                         trusted: bool = False) -> Any:
    """``torch.load`` a local file safely, with a clear refusal message.

    Args:
        filename (str): Path of the checkpoint.
        map_location (optional): As for :func:`torch.load`.
        trusted (bool): Load with ``weights_only=False``; only for files
            the user made and trusts (e.g. very old checkpoints).
            Defaults to False.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename!r} not found')
    if not trusted:
        allow_mmengine_checkpoints()
    try:
        return torch.load(
            filename, map_location=map_location, weights_only=not trusted)
    except pickle.UnpicklingError as error:
        names = _unsafe_names(filename)
        if isinstance(error.__context__, UnsafeCheckpointError):
            names.append(str(error.__context__))
        # torch names a refused class or function as 'GLOBAL module.name';
        # any other unpickling error means the bytes are not a checkpoint
        refused = re.findall(r'GLOBAL (\S+)', str(error))
        if trusted or not (names or refused):
            raise _unreadable(filename, error) from error
        names = names or refused
        raise UnsafeCheckpointError(
            f'checkpoint {filename!r} refers to code outside the allowlist'
            f'{": " + "; ".join(names) if names else ""}. It was not '
            'loaded. Only load it with --trust-checkpoint if you made it '
            'yourself.') from error
    except (OSError, EOFError, KeyError, zipfile.BadZipFile) as error:
        raise _unreadable(filename, error) from error
    except RuntimeError as error:
        if 'PytorchStreamReader' not in str(error):
            raise  # e.g. a CUDA tensor on a machine without CUDA
        raise _unreadable(filename, error) from error


def _unreadable(filename: str, error: BaseException) -> ValueError:
    """The error for a file that is no complete PyTorch checkpoint.

    torch.load raises OSError or RuntimeError (zip reader), EOFError or
    KeyError (pre-zip format) or UnpicklingError for such files, with
    messages that do not name the file.
    """
    lines = [ln.strip() for ln in str(error).splitlines() if ln.strip()]
    # torch's weights-only message hides the cause among general hints
    cause = next((line for line in lines if 'Unsupported' in line),
                 lines[0] if lines else 'no data').split('. ')[0]
    return ValueError(
        f'checkpoint {filename!r} ({osp.getsize(filename)} bytes) is not a '
        f'readable PyTorch checkpoint ({type(error).__name__}: '
        f'{cause}); it may be truncated (an interrupted copy or '
        'save) or another kind of file.')


def _unsafe_names(filename: str) -> List[str]:
    """Globals in ``filename`` that the allowlist does not cover."""
    try:
        names = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # noqa: BLE001 - only used to improve a message
        return []
    allowed = {
        entry[1] if isinstance(entry, tuple) else
        f'{entry.__module__}.{entry.__qualname__}'
        for entry in allowed_checkpoint_globals()
    }
    return [name for name in names if name not in allowed]


def install_safe_checkpoint_loader(trusted: bool = False) -> None:
    """Make mmengine load local checkpoints through
    :func:`load_checkpoint_file` (resume, ``load_from``, tools)."""

    def load_from_local(filename: str, map_location: Any = None) -> Any:
        return load_checkpoint_file(filename, map_location, trusted)

    allow_mmengine_checkpoints()
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
