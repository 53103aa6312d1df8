"""Mixed precision on CPU: bf16 autocast inside the optimizer context."""
from contextlib import contextmanager
from typing import Iterator

import torch
from mmengine.optim import OptimWrapper
from torch import nn

from stgcn_reg.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """Run forward passes under ``torch.autocast('cpu', bfloat16)``.

    mmengine's ``AmpOptimWrapper`` needs CUDA; on CPUs with AVX-512 BF16 or
    AMX, bf16 matmuls are several times faster than fp32 (elsewhere bf16
    is emulated and slower: ``tools/train.py --amp`` then stays in fp32,
    see :func:`stgcn_reg.cli.amp_policy.choose_amp_dtype`). bf16 keeps
    the fp32 exponent range, so no loss scaling is needed; weights and the
    optimizer state stay in fp32.

    Args:
        dtype (str): Autocast dtype, ``'bfloat16'`` (default) or
            ``'float16'``.
        **kwargs: Arguments of ``OptimWrapper``.
    """

    def __init__(self, dtype: str = 'bfloat16', **kwargs) -> None:
        super().__init__(**kwargs)
        if dtype not in ('bfloat16', 'float16'):
            raise ValueError(f'CPUAmpOptimWrapper: dtype must be bfloat16 '
                             f'or float16, got {dtype!r}')
        self.cast_dtype = getattr(torch, dtype)

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """Gradient-accumulation context of the base class plus autocast."""
        with super().optim_context(model):
            with torch.autocast('cpu', dtype=self.cast_dtype):
                yield
