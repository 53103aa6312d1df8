"""FLOPs of ST-GCN counted from its layers, and the matmul peak to divide
them by (MFU)."""
import time
from typing import Callable, Dict, Sequence

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def stgcn_forward_flops(channels: Sequence[int], strides: Sequence[int],
                        num_nodes: int, num_partitions: int, frames: int,
                        persons: int, num_classes: int,
                        in_channels: int = 3,
                        kernel_size: int = 9) -> Dict[str, int]:
    """Forward FLOPs of one sample (a multiply-add counts 2), by layer kind.

    As the equations are written: per block a 1x1 conv to ``K*C``
    (``graph_conv``), the aggregation ``sum_k X_k A_k`` (``aggregation``),
    the ``k x 1`` temporal conv (``temporal_conv``) and, where channels or
    stride change after the first block, the 1x1 projection
    (``residual``); then the classifier. BatchNorm, ReLU, pooling and
    bias adds are not counted (as ``torch.utils.flop_counter``).
    """
    counts = dict(graph_conv=0, aggregation=0, temporal_conv=0, residual=0,
                  classifier=2 * channels[-1] * num_classes)
    block_in, t = in_channels, frames
    for index, (c, stride) in enumerate(zip(channels, strides)):
        positions = t * num_nodes * persons  # joints x frames x persons
        t_out = (t - 1) // stride + 1
        out_positions = t_out * num_nodes * persons
        counts['graph_conv'] += 2 * block_in * num_partitions * c * positions
        counts['aggregation'] += (2 * num_partitions * c * num_nodes
                                  * positions)
        counts['temporal_conv'] += 2 * c * c * kernel_size * out_positions
        if index > 0 and (block_in != c or stride != 1):
            counts['residual'] += 2 * block_in * c * out_positions
        block_in, t = c, t_out
    counts['total'] = sum(counts.values())
    return counts


def counted_flops(model: nn.Module, inputs: torch.Tensor,
                  forward: Callable[[nn.Module, torch.Tensor],
                                    torch.Tensor]) -> int:
    """FLOPs of ``forward(model, inputs)`` as ``FlopCounterMode`` counts
    them (no grad, eval mode). One uncounted forward first, so that a
    kernel-route measurement at this new shape is not counted."""
    model.eval()
    counter = FlopCounterMode(display=False)
    with torch.no_grad():
        forward(model, inputs)
        with counter:
            forward(model, inputs)
    return int(counter.get_total_flops())


def _synchronize(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def matmul_peak(dtype: torch.dtype, device: torch.device,
                clock: Callable[[], float] = time.perf_counter,
                size: int = 1024, repeats: int = 5,
                min_seconds: float = 0.2) -> float:
    """Best FLOP/s of square ``size`` matmuls in ``dtype`` on ``device``.

    Each of ``repeats`` trials runs enough products to last
    ``min_seconds`` on ``clock``; the best trial counts (interference only
    ever slows a trial down).
    """
    if device.type == 'cuda':
        size = max(size, 8192)
    a = torch.randn(size, size, device=device).to(dtype)
    b = torch.randn(size, size, device=device).to(dtype)
    torch.mm(a, b)
    _synchronize(device)
    start, count = clock(), 0
    while clock() - start < min_seconds / 4:
        torch.mm(a, b)
        count += 1
        _synchronize(device)
    per_trial = max(1, int(count * min_seconds /
                           max(clock() - start, 1e-9)))
    best = 0.0
    for _ in range(repeats):
        start = clock()
        for _ in range(per_trial):
            torch.mm(a, b)
        _synchronize(device)
        elapsed = max(clock() - start, 1e-9)
        best = max(best, 2 * size**3 * per_trial / elapsed)
    return best
