"""Run narrow strided 1x1 convs through the package's layers, channels-last.

Run as a script (by ``test_onednn_safe_conv.py``, in a subprocess, so a
crash of oneDNN issue #6035 fails the test instead of killing pytest).
Every case (plain convs, whole blocks, convs under ``torch.compile``)
runs forward and backward and checks each strided 1x1 conv against
``nn.Conv2d`` on contiguous input, given the same input and output
gradient. Prints ``cases: N`` and exits 0, or raises on the first
mismatch.
"""
import itertools
from typing import Callable, List

import torch
from torch import nn

from stgcn_reg.models.layers import (
    MultiScaleTemporalConv,
    ResidualProjection,
    STGCNBlock,
    STGCNPPBlock,
    TemporalConv,
)
from stgcn_reg.models.layers.temporal_conv_grad import temporal_conv

IN_CHANNELS = (3, 4, 8, 12, 15, 16, 17)
OUT_CHANNELS = (8, 16, 32)
STRIDES = (1, 2, 3)
LENGTHS = (7, 31, 150)
NODES = (18, 25)
BATCH = 2
TOL = 1e-5


def _check(name: str, got: torch.Tensor, want: torch.Tensor) -> None:
    """``got`` within ``TOL`` of ``want``, relative to ``want``'s scale
    (float32 sums over thousands of positions, taken in another order)."""
    scale = max(1.0, want.abs().max().item())
    diff = (got - want).abs().max().item()
    if not diff <= TOL * scale:
        raise AssertionError(
            f'{name}: max |diff| {diff:.3g} at scale {scale:.3g}')


def _compare(tag: str, conv: nn.Conv2d, x: torch.Tensor,
             grad_out: torch.Tensor, grads: List[torch.Tensor]) -> None:
    """``grads`` (input, weight, bias) against ``nn.Conv2d`` on contiguous
    ``x`` with output gradient ``grad_out``."""
    ref = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size,
                    conv.stride, conv.padding)
    ref.load_state_dict(conv.state_dict())
    plain = x.detach().contiguous().requires_grad_()
    want = torch.autograd.grad(ref(plain), [plain, ref.weight, ref.bias],
                               grad_out.contiguous())
    for name, got, expected in zip(('input', 'weight', 'bias'), grads, want):
        _check(f'{tag} {name} grad', got, expected)


def _channels_last(channels: int, frames: int, nodes: int) -> torch.Tensor:
    x = torch.randn(BATCH, channels, frames, nodes)
    return x.contiguous(memory_format=torch.channels_last).requires_grad_()


def conv_case(tag: str, conv: nn.Conv2d, forward: Callable, frames: int,
              nodes: int) -> None:
    """One package conv on channels-last input vs the reference."""
    x = _channels_last(conv.in_channels, frames, nodes)
    out = forward(x, conv)
    grad_out = torch.randn_like(out)
    grads = torch.autograd.grad(out, [x, conv.weight, conv.bias], grad_out)
    _compare(tag, conv, x, grad_out, list(grads))


def compiled_case(c_in: int, stride: int, channels_last: bool) -> None:
    """The conv under ``torch.compile``, which picks channels-last for CPU
    convs itself: the guard must hold for NCHW input too."""
    conv = ResidualProjection(c_in, 16, stride).conv
    compiled = torch.compile(conv)
    x = torch.randn(BATCH, c_in, 150, 18)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    x.requires_grad_()
    out = compiled(x)
    grad_out = torch.randn_like(out)
    grads = torch.autograd.grad(out, [x, conv.weight, conv.bias], grad_out)
    _compare(f'compiled {c_in} s{stride} channels_last={channels_last}',
             conv, x, grad_out, list(grads))


def _is_strided_pointwise(module: nn.Module) -> bool:
    return (isinstance(module, nn.Conv2d) and module.kernel_size == (1, 1)
            and module.stride != (1, 1))


def block_case(tag: str, block: nn.Module, c_in: int, frames: int,
               *args: torch.Tensor) -> None:
    """A block in training mode on channels-last input: it completes, and
    each strided 1x1 conv in it matches the reference on what it saw."""
    seen = {}

    def keep(name: str) -> Callable:
        def hook(module, grad_input, grad_output):
            seen[name] = (grad_input[0], grad_output[0])
        return hook

    inputs = {}
    convs = {name: module for name, module in block.named_modules()
             if _is_strided_pointwise(module)}
    for name, module in convs.items():
        module.register_forward_pre_hook(
            lambda m, a, name=name: inputs.__setitem__(name, a[0].detach()))
        module.register_full_backward_hook(keep(name))
    block.train()
    x = _channels_last(c_in, frames, 18)
    out = block(x, *args)
    out.backward(torch.randn_like(out))
    # a 1x1 temporal conv takes the GEMM route without calling its module
    # (checked by the ``temporal k1`` cases); the shortcut always runs
    assert seen, f'{tag}: no strided 1x1 conv ran'
    for name, (grad_input, grad_output) in seen.items():
        module = convs[name]
        _compare(f'{tag} {name}', module, inputs[name], grad_output,
                 [grad_input, module.weight.grad, module.bias.grad])


def main() -> None:
    """Run every case; print how many."""
    torch.manual_seed(0)
    cases = 0
    for c_in, c_out, stride, frames, nodes in itertools.product(
            IN_CHANNELS, OUT_CHANNELS, STRIDES, LENGTHS, NODES):
        conv = ResidualProjection(c_in, c_out, stride).conv
        conv_case(f'projection {c_in}->{c_out} s{stride} T{frames} V{nodes}',
                  conv, lambda x, conv: conv(x), frames, nodes)
        cases += 1
    for c_in, stride, frames, nodes in itertools.product(
            IN_CHANNELS, STRIDES[1:], LENGTHS, NODES):
        conv = TemporalConv(c_in, kernel_size=1, stride=stride).conv
        conv_case(f'temporal k1 {c_in} s{stride} T{frames} V{nodes}', conv,
                  temporal_conv, frames, nodes)
        cases += 1
    adjacency = torch.rand(3, 18, 18)
    for index, (c_in, c_out, stride) in enumerate(
            itertools.product((3, 8, 15), (8, 16), (2, 3))):
        frames = LENGTHS[index % 2]
        tag = f'{c_in}->{c_out} s{stride} T{frames}'
        block_case(f'STGCNBlock {tag}',
                   STGCNBlock(c_in, c_out, 3, stride=stride), c_in, frames,
                   adjacency)
        block_case(f'STGCNBlock k1 {tag}',
                   STGCNBlock(c_in, c_out, 3, temporal_kernel_size=1,
                              stride=stride), c_in, frames, adjacency)
        block_case(f'STGCNPPBlock {tag}',
                   STGCNPPBlock(c_in, c_out, adjacency, stride=stride),
                   c_in, frames)
        block_case(f'MultiScaleTemporalConv {tag}',
                   MultiScaleTemporalConv(c_in, c_out, stride=stride),
                   c_in, frames)
        cases += 4
    for c_in, stride, channels_last in itertools.product(
            (3, 8, 15), (2, 3), (False, True)):
        compiled_case(c_in, stride, channels_last)
        cases += 1
    print(f'cases: {cases}')


if __name__ == '__main__':
    main()
