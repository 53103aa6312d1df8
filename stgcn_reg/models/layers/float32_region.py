"""Run a layer in float32 inside an autocast region (``--amp``).

In training the first graph convolution reads the raw joint
coordinates. Rounded to bfloat16 (8 bits of mantissa) those lose the
small frame-to-frame motion the network learns from: the README demo
trained with that layer in bf16 reached 90% held-out top-1, in float32
99.5-100% with every other layer in bf16 (docs/performance.md). The
layer is tiny (3 input channels), so float32 there costs almost nothing.
"""
from typing import Callable, TypeVar

import torch

Result = TypeVar('Result')


def in_float32(compute: Callable[..., Result], *tensors: torch.Tensor
               ) -> Result:
    """``compute(*tensors)`` with autocast off and the floating-point
    ``tensors`` in float32 when autocast is on for their device (only
    then: plain float32, float16 or bfloat16 runs stay as they are)."""
    device = tensors[0].device.type
    if not torch.is_autocast_enabled(device):
        return compute(*tensors)
    with torch.autocast(device, enabled=False):
        return compute(*(t.float() if t.is_floating_point() else t
                         for t in tensors))
