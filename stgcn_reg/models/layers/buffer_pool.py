"""Reused CPU buffers for the large intermediates of a training step.

glibc hands every block over its mmap threshold (at most 32 MB) back to
the kernel when it is freed, so a tensor of that size is new memory on
every step and each of its pages faults and is zeroed again: at the NTU
shape the graph convolution's aggregated joints (46 MB per layer at batch
4) and their gradients cost about a tenth of the training step that way
on a Sapphire Rapids VM. :func:`take_buffer` returns such tensors from a
per-thread pool instead. A buffer is handed out again only when nothing
but the pool refers to its memory (the storage's reference count): while
autograd keeps it for backward, or a caller still holds the output or a
view of it, it is in use, so reuse can never overwrite live data.

The pool keeps what it holds (like PyTorch's CUDA caching allocator): at
most ``STGCN_REG_BUFFER_POOL_MB`` megabytes (default a quarter of the
physical memory; ``0`` turns pooling off), freeing its least recently used
free buffers to stay under that, and those of sizes no longer asked for.
:func:`release_buffers` empties it.
"""
import os
import threading
from typing import Callable, Dict, List, Optional, Sequence

import torch

ENV_LIMIT = 'STGCN_REG_BUFFER_POOL_MB'
# smaller tensors come from glibc's heap without faults: not worth pooling
MIN_POOLED_BYTES = 1 << 20


def _storage_use_count(tensor: torch.Tensor) -> int:
    return torch._C._storage_Use_Count(tensor.untyped_storage()._cdata)


def _free_use_count() -> Optional[int]:
    """The use count of a storage only the pool refers to, or None where
    this torch cannot tell (then nothing is pooled)."""
    if not hasattr(torch._C, '_storage_Use_Count'):
        return None
    return _storage_use_count(torch.empty(1))


_FREE = _free_use_count()


def pool_limit_bytes() -> int:
    """The pool's size limit: ``$STGCN_REG_BUFFER_POOL_MB`` or a quarter
    of the physical memory."""
    value = os.environ.get(ENV_LIMIT, '').strip()
    if value:
        try:
            return max(0, int(float(value) * (1 << 20)))
        except ValueError as error:
            raise ValueError(f'{ENV_LIMIT}={value!r}: expected a number of '
                             'megabytes (0 turns pooling off)') from error
    try:
        return os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4
    except (ValueError, OSError):
        return 1 << 30


class BufferPool:
    """Free-when-unreferenced CPU buffers, matched by dtype and size.

    A free buffer not asked for in the last ``4 * len(buffers)`` takes
    (about two training steps) is dropped on the next miss or sweep
    (every 64 takes), so sizes a
    run stops using (another batch or length) do not stay held.
    """

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.buffers: List[torch.Tensor] = []  # least recently used first
        self.last_taken: Dict[int, int] = {}  # id(buffer) -> take count
        self.takes = 0

    def pooled_bytes(self) -> int:
        """Bytes the pool holds, in use or free."""
        return sum(buffer.nbytes for buffer in self.buffers)

    def take(self, shape: Sequence[int], like: torch.Tensor,
             strides: Optional[Sequence[int]] = None) -> torch.Tensor:
        """An uninitialised ``shape`` tensor of ``like``'s dtype and device,
        from a free buffer of that size when there is one."""
        numel = 1
        for size in shape:
            numel *= size
        self.takes += 1
        if self.takes % 64 == 0:
            self._drop_stale()
        for index, buffer in enumerate(self.buffers):
            if (buffer.numel() == numel and buffer.dtype == like.dtype
                    and _storage_use_count(buffer) == _FREE):
                self.buffers.append(self.buffers.pop(index))
                self.last_taken[id(buffer)] = self.takes
                return _shaped(buffer, shape, strides)
        self._drop_stale()
        buffer = like.new_empty(numel)
        excess = self.pooled_bytes() + buffer.nbytes - self.limit_bytes
        if excess > 0:
            excess -= self._drop_free(lambda buffer: True, excess)
        if excess <= 0:
            self.buffers.append(buffer)
            self.last_taken[id(buffer)] = self.takes
        return _shaped(buffer, shape, strides)

    def _drop_stale(self) -> None:
        stale_before = self.takes - 4 * max(len(self.buffers), 16)
        self._drop_free(
            lambda buffer: self.last_taken[id(buffer)] < stale_before)

    def _drop_free(self, chosen: Callable[[torch.Tensor], bool],
                   wanted: Optional[int] = None) -> int:
        """Drop free ``chosen`` buffers, least recently used first, until
        ``wanted`` bytes are dropped (all of them when None); the bytes
        dropped."""
        dropped, kept = 0, []
        for buffer in self.buffers:
            if ((wanted is None or dropped < wanted)
                    and _storage_use_count(buffer) == _FREE
                    and chosen(buffer)):
                del self.last_taken[id(buffer)]
                dropped += buffer.nbytes
            else:
                kept.append(buffer)
        self.buffers = kept  # by identity: == on tensors compares values
        return dropped


def _shaped(buffer: torch.Tensor, shape: Sequence[int],
            strides: Optional[Sequence[int]]) -> torch.Tensor:
    """A tensor over ``buffer``'s memory that autograd does not see as a
    view (a custom Function's output may then be modified in place)."""
    out = buffer.new_empty(0)
    if strides is None:
        return out.set_(buffer.untyped_storage(), 0, tuple(shape))
    return out.set_(buffer.untyped_storage(), 0, tuple(shape),
                    tuple(strides))


_POOLS = threading.local()


def thread_pool() -> Optional[BufferPool]:
    """This thread's pool, or None when pooling is off."""
    pool = getattr(_POOLS, 'pool', None)
    if pool is None:
        limit = pool_limit_bytes() if _FREE is not None else 0
        pool = _POOLS.pool = BufferPool(limit)
    return pool if pool.limit_bytes > 0 else None


def take_buffer(shape: Sequence[int], like: torch.Tensor,
                strides: Optional[Sequence[int]] = None) -> torch.Tensor:
    """An uninitialised ``shape`` tensor like ``like``: pooled on the CPU
    when at least :data:`MIN_POOLED_BYTES` and pooling is on, else new."""
    pool = thread_pool()
    numel = 1
    for size in shape:
        numel *= size
    if (pool is None or like.device.type != 'cpu'
            or numel * like.element_size() < MIN_POOLED_BYTES):
        if strides is None:
            return like.new_empty(tuple(shape))
        return like.new_empty_strided(tuple(shape), tuple(strides))
    with torch.inference_mode(False):
        return pool.take(shape, like, strides)


def release_buffers() -> None:
    """Drop this thread's pooled buffers (memory in use stays valid)."""
    _POOLS.pool = None
