"""Load pickles without running code: containers, strings, numbers, arrays.

Label files from other tools are pickles; a plain ``pickle.load`` would run
whatever callable the file names. Here only plain data types are allowed.
"""
import _compat_pickle
import pickle
from typing import Any, Set, Tuple

_ALLOWED_GLOBALS: Set[Tuple[str, str]] = {
    ('builtins', 'set'),
    ('builtins', 'frozenset'),
    ('builtins', 'complex'),
    ('builtins', 'bytearray'),
    ('collections', 'OrderedDict'),
    # bytes inside protocol-2 pickles (numpy scalars written by Python 2)
    ('_codecs', 'encode'),
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', 'scalar'),
    # arrays pickled with protocol 5 (out-of-band buffers)
    ('numpy.core.numeric', '_frombuffer'),
    ('numpy._core.numeric', '_frombuffer'),
}
# numpy >= 1.25 pickles dtypes as numpy.dtypes.<Kind>DType classes
_ALLOWED_MODULE_PREFIXES = ('numpy.dtypes',)


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle names a callable or class outside the plain-data allowlist."""


class _RestrictedUnpickler(pickle.Unpickler):

    def __init__(self, file: Any, source: str) -> None:
        super().__init__(file)
        self._source = source

    def find_class(self, module: str, name: str) -> Any:
        # Python 2 names (protocol < 3), e.g. __builtin__.set
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        allowed = ((module, name) in _ALLOWED_GLOBALS
                   or (module in _ALLOWED_MODULE_PREFIXES
                       and name.endswith('DType')))
        if not allowed:
            raise UnsafePickleError(
                f'refusing to load {self._source}: it names '
                f"'{module}.{name}', which is not a container, string, "
                'number or numpy array. Label files are loaded without '
                'running code from them; re-save the file with plain '
                'Python lists/tuples, strings, numbers or numpy arrays.')
        return super().find_class(module, name)


def safe_load_pickle(path: str) -> Any:
    """Unpickle ``path`` allowing only plain data; refuse anything else."""
    with open(path, 'rb') as file:
        try:
            return _RestrictedUnpickler(file, repr(str(path))).load()
        except UnsafePickleError:
            raise
        except Exception as error:
            raise ValueError(
                f'cannot read pickle file {str(path)!r}: {error}') from error
