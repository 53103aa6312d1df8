"""Strided 1x1 convolution kept off a crashing oneDNN route (issue #6035).

oneDNN v3.12.0 (PyTorch 2.13's CPU backend) writes past its scratchpad in
the backward-weights pass of a strided 1x1 float32 convolution whose
source is NHWC (channels-last) and which has fewer input channels than
the kernel's channel block (16 on AVX-512, 8 on AVX2): the process dies
with ``double free or corruption`` or a segfault, or the heap is
corrupted silently (https://github.com/uxlfoundation/oneDNN/issues/6035).
ST-GCN's residual projections are such convolutions at narrow widths,
e.g. ``channels=[8, 8, 16, 16]`` with a stride-2 block. Layers built by
:func:`conv2d` that could hit it run those calls on contiguous (NCHW)
input instead, which takes another oneDNN kernel; the output is handed
back channels-last, so callers see the same layout and values. Inductor
lays CPU convs out channels-last by itself, so under ``torch.compile``
these layers run eagerly (a graph break; ``fullgraph=True`` refuses them).
"""
import functools
from typing import Any, Callable, Optional, Tuple, Union

import torch
from torch import nn

# the widest channel block (AVX-512); AVX2's 8 lies below it
ONEDNN_CHANNEL_BLOCK = 16

_Size = Union[int, Tuple[int, int]]


def _pair(value: _Size) -> Tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def may_hit_onednn_6035(in_channels: int, kernel_size: _Size,
                        stride: _Size, groups: int = 1) -> bool:
    """Whether a conv of this shape is one oneDNN issue #6035 can crash."""
    return (_pair(kernel_size) == (1, 1)
            and any(step > 1 for step in _pair(stride))
            and in_channels // groups < ONEDNN_CHANNEL_BLOCK)


def hits_onednn_6035(x: torch.Tensor, weight: torch.Tensor) -> bool:
    """Whether this call's backward would need oneDNN's crashing
    backward-weights route (CPU, float32, channels-last, weight grad)."""
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and x.dim() == 4 and weight.requires_grad
            and torch.is_grad_enabled()
            and x.is_contiguous(memory_format=torch.channels_last))


def _conv_forward_of(conv: nn.Conv2d, input: torch.Tensor,
                     weight: torch.Tensor,
                     bias: Optional[torch.Tensor]) -> torch.Tensor:
    return conv._conv_forward(input, weight, bias)


@functools.lru_cache(maxsize=None)
def _eager_conv_forward() -> Callable:
    """``conv._conv_forward`` run eagerly, outside any ``torch.compile``.

    Wrapped on first use (when such a layer is built), not at import:
    ``torch.compiler.disable`` imports torch._dynamo, about 0.8 s that
    every tool start would otherwise pay.
    """
    return torch.compiler.disable(_conv_forward_of)


class OneDNNSafeConv2d(nn.Conv2d):
    """``nn.Conv2d`` that runs channels-last training calls on NCHW input.

    Built by :func:`conv2d` for strided 1x1 convs with fewer than 16 input
    channels, to avoid oneDNN issue #6035 (see this module's docstring).
    Under ``torch.compile`` the conv runs eagerly (a graph break): Inductor
    picks channels-last for CPU convs by itself, NCHW input or not. Every
    other call, and every other layer, is a plain ``nn.Conv2d``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _eager_conv_forward()  # wrapped before any torch.compile traces

    def _conv_forward(self, input: torch.Tensor, weight: torch.Tensor,
                      bias: Optional[torch.Tensor]) -> torch.Tensor:
        if torch.compiler.is_compiling():
            return _eager_conv_forward()(self, input, weight, bias)
        if not hits_onednn_6035(input, weight):
            return super()._conv_forward(input, weight, bias)
        out = super()._conv_forward(input.contiguous(), weight, bias)
        return out.contiguous(memory_format=torch.channels_last)


def conv2d(in_channels: int, out_channels: int, kernel_size: _Size,
           stride: _Size = 1, **kwargs) -> nn.Conv2d:
    """``nn.Conv2d(...)``, or :class:`OneDNNSafeConv2d` where the layer's
    shape is one oneDNN issue #6035 can crash (decided at build time)."""
    groups = kwargs.get('groups', 1)
    cls = (OneDNNSafeConv2d if may_hit_onednn_6035(
        in_channels, kernel_size, stride, groups) else nn.Conv2d)
    return cls(in_channels, out_channels, kernel_size, stride=stride,
               **kwargs)
