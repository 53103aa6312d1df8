"""Gradient checkpointing of one block that keeps BatchNorm statistics."""
import functools
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List

import torch
from torch import nn
from torch.utils import checkpoint as torch_checkpoint

# Outputs kept through the backward pass. The temporal convolutions are
# ~70% of a block's FLOPs; keeping their outputs (one feature map each)
# means the recomputation redoes only the cheap graph conv, BN and ReLU.
_KEEP_OPS = (torch.ops.aten.convolution.default, )


def _keep_conv_outputs(ctx: Any, op: Any, *args: Any, **kwargs: Any) -> Any:
    if op in _KEEP_OPS:
        return torch_checkpoint.CheckpointPolicy.MUST_SAVE
    return torch_checkpoint.CheckpointPolicy.PREFER_RECOMPUTE


def _context_fn() -> Any:
    """Selective checkpointing where torch has it (2.4+), else full."""
    make = getattr(torch_checkpoint, 'create_selective_checkpoint_contexts',
                   None)
    if make is None:
        return torch_checkpoint.noop_context_fn
    return functools.partial(make, _keep_conv_outputs)


@contextmanager
def _frozen_bn_statistics(module: nn.Module) -> Iterator[None]:
    """BatchNorms of ``module`` leave their running statistics unchanged,
    so the recomputation does not count the batch twice.

    Momentum 0 keeps the running values as they are; no tensor op is added
    or dropped (selective checkpointing replays the same ops), only the
    ``num_batches_tracked`` increment is skipped.
    """
    saved: List[tuple] = [
        (bn, bn.momentum, bn.num_batches_tracked)
        for bn in module.modules()
        if isinstance(bn, nn.modules.batchnorm._BatchNorm)
    ]
    try:
        for bn, _, _ in saved:
            bn.momentum = 0.0
            bn.num_batches_tracked = None
        yield
    finally:
        for bn, momentum, count in saved:
            bn.momentum = momentum
            bn.num_batches_tracked = count


def checkpoint_block(block: Callable[..., torch.Tensor],
                     *inputs: torch.Tensor) -> torch.Tensor:
    """``block(*inputs)``, storing only its inputs and the outputs of its
    convolutions for the backward pass; the rest is recomputed there.

    Dropout draws the same mask again (the RNG state is restored), and
    BatchNorm running statistics are updated once, by the first pass.
    """
    calls = [0]

    def run(*args: torch.Tensor) -> torch.Tensor:
        calls[0] += 1
        if calls[0] == 1 or not isinstance(block, nn.Module):
            return block(*args)
        with _frozen_bn_statistics(block):
            return block(*args)

    return torch_checkpoint.checkpoint(
        run, *inputs, use_reentrant=False, context_fn=_context_fn())
