"""Keep freed CPU memory in the process for reuse, so that the large
tensors of every training step stop returning to the kernel and coming
back as page faults.

glibc's malloc serves blocks above its mmap threshold (dynamic, at most
32 MB) with ``mmap`` and returns them on ``free``, and it trims the free
top of its heap; the next step's tensors of the same size are new pages,
each one faulted in and zeroed again. At real batch sizes most of a
step's activations are that large (batch 16 at the NTU shape: 61 MB per
64-channel float32 activation), and on a 2-core Zen 4 VM a bf16 training
step at batch 4 took 18-52 thousand page faults, 50-90 ms of system time.
PyTorch's CPU tuning guide names the cure: a caching allocator (jemalloc,
tcmalloc, loaded with ``LD_PRELOAD``). :func:`keep_freed_memory` asks
glibc for the same from inside the process (``mallopt``: no ``mmap`` for
large blocks, no trimming), the way PyTorch's CUDA caching allocator
keeps GPU memory: the process keeps its peak footprint until it exits.

``$STGCN_REG_MALLOC=default`` keeps glibc's behaviour. Malloc settings of
the user's own (``GLIBC_TUNABLES`` with ``glibc.malloc``, ``MALLOC_*``
variables, an allocator in ``LD_PRELOAD``) are left alone.
"""
import ctypes
import os
import sys
from typing import Mapping, Optional

ENV = 'STGCN_REG_MALLOC'
# mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
_DONE = {'state': ''}


def _users_own_settings(environ: Mapping[str, str]) -> str:
    """The variable that sets the user's own malloc behaviour, or ''."""
    if 'glibc.malloc.' in environ.get('GLIBC_TUNABLES', ''):
        return 'GLIBC_TUNABLES'
    for name in environ:
        if name.startswith('MALLOC_'):
            return name
    if 'malloc' in environ.get('LD_PRELOAD', ''):
        return 'LD_PRELOAD'
    return ''


def keep_freed_memory(environ: Optional[Mapping[str, str]] = None) -> str:
    """Make glibc keep freed memory for reuse in this process (once);
    returns what was done, for the log.

    Raises:
        ValueError: ``$STGCN_REG_MALLOC`` is neither ``keep`` (the
            default) nor ``default``.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENV, '').strip().lower() or 'keep'
    if value not in ('keep', 'default'):
        raise ValueError(f'${ENV}={value!r}: expected keep (freed memory '
                         'kept for reuse) or default (glibc as it is)')
    if value == 'default':
        return f"glibc's malloc as it is (${ENV}=default)"
    own = _users_own_settings(environ)
    if own:
        return f"glibc's malloc as {own} sets it"
    if _DONE['state']:
        return _DONE['state']
    mallopt = _glibc_mallopt()
    if mallopt is None:
        return 'the C library is not glibc: its malloc as it is'
    if not (mallopt(M_MMAP_MAX, 0) and mallopt(M_TRIM_THRESHOLD, -1)):
        return 'glibc refused the malloc settings: its malloc as it is'
    _DONE['state'] = ('freed memory kept for reuse (glibc malloc: no mmap '
                      f'for large blocks, no trimming; ${ENV}=default '
                      'turns this off)')
    return _DONE['state']


def _glibc_mallopt():
    """glibc's ``mallopt`` of this process, or None elsewhere."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        libc = ctypes.CDLL(None)
        if not hasattr(libc, 'gnu_get_libc_version'):  # glibc only
            return None
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt
