"""The tools keep freed CPU memory for reuse: after keep_freed_memory a
large block freed and taken again costs no page faults (a fresh process
each way, glibc only); its switch and the user's own malloc settings."""
import os
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from stgcn_reg.utils.freed_memory import (
    ENV,
    _glibc_mallopt,
    keep_freed_memory,
)

# 64 MB blocks, twice glibc's largest mmap threshold: by default each one
# is mapped on malloc and unmapped on free, its 16384 pages faulted in
# on every use
_FAULTS_OF_REUSE = """
import ctypes, resource
from stgcn_reg.utils.freed_memory import keep_freed_memory
print(keep_freed_memory())
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
size = 64 << 20
def use_a_block():
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    libc.free(block)
use_a_block()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    use_a_block()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults_of_reuse(setting: str):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith('MALLOC_')
           and name not in ('GLIBC_TUNABLES', 'LD_PRELOAD', ENV)}
    if setting:
        env[ENV] = setting
    env['PYTHONPATH'] = REPO_ROOT
    done = subprocess.run([sys.executable, '-c', _FAULTS_OF_REUSE],
                          env=env, capture_output=True, text=True,
                          check=True)
    message, faults = done.stdout.strip().splitlines()
    return message, int(faults)


@pytest.mark.skipif(_glibc_mallopt() is None, reason='glibc only')
def test_a_freed_block_is_reused_without_page_faults():
    message, faults = _faults_of_reuse('')
    assert message.startswith('freed memory kept for reuse')
    assert faults < 1000
    message, faults = _faults_of_reuse('default')
    assert 'default' in message
    assert faults > 3 * 16384 * 0.9  # every use faults again


def test_a_bad_setting_is_one_clear_error():
    with pytest.raises(ValueError, match=rf'\${ENV}=.fast.: expected keep'):
        keep_freed_memory({ENV: 'fast'})


@pytest.mark.parametrize('environ, named', [
    ({ENV: 'default'}, f'${ENV}=default'),
    ({'GLIBC_TUNABLES': 'glibc.malloc.mmap_max=0'}, 'GLIBC_TUNABLES'),
    ({'MALLOC_ARENA_MAX': '2'}, 'MALLOC_ARENA_MAX'),
    ({'LD_PRELOAD': '/usr/lib/libjemalloc.so.2'}, 'LD_PRELOAD'),
])
def test_the_switch_and_the_users_own_settings_leave_malloc_alone(
        environ, named):
    assert named in keep_freed_memory(environ)
