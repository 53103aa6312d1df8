"""The graph convolution's projection and its two gradients on every
route, per_layer choosing each product on its own, give the plain
layer's results; under bf16 autocast training takes the pooled pass."""
import json

import pytest
import torch

from stgcn_reg.models.layers import buffer_pool
from stgcn_reg.models.layers.graph_conv import GraphConv
from stgcn_reg.models.routes.route_cache import cache_file
from stgcn_reg.models.routes.route_options import using_routes


@pytest.fixture(autouse=True)
def pooled_everything(monkeypatch):
    """Pool even these small tensors; an empty pool before and after."""
    monkeypatch.setattr(buffer_pool, 'MIN_POOLED_BYTES', 0)
    buffer_pool.release_buffers()
    yield
    buffer_pool.release_buffers()


def _inputs(c_in: int, seed: int = 1):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(2, c_in, 12, 25, generator=generator)
    adjacency = torch.rand(3, 25, 25, generator=generator)
    return x, adjacency.requires_grad_()


def _pass(layer, x, adjacency, channels_last: bool):
    x = x.contiguous(memory_format=torch.channels_last
                     if channels_last else torch.contiguous_format)
    x = x.detach().requires_grad_()
    out = layer(x, adjacency)
    grad = torch.randn(out.shape, generator=torch.Generator().manual_seed(5))
    tensors = [x, adjacency, layer.conv.weight, layer.conv.bias]
    return [out.detach()] + list(torch.autograd.grad(out, tensors, grad))


def _projection_products() -> set:
    try:
        entries = json.load(open(cache_file()))
    except FileNotFoundError:
        return set()
    return {key.split('product=')[1].split()[0] for key in entries
            if key.startswith('layer projection ')}


@pytest.mark.parametrize('route', ['gemm', 'onednn', 'per_layer'])
def test_every_route_gives_the_plain_layers_results(measuring, route):
    torch.manual_seed(0)
    layer = GraphConv(16, 32, 3)
    x, adjacency = _inputs(16)
    expected = _pass(layer, x, adjacency, channels_last=False)
    for _ in range(2):  # measured (per_layer), then the remembered choice
        with using_routes({'projection': route}):
            got = _pass(layer, x, adjacency, channels_last=True)
        assert buffer_pool.thread_pool().buffers, 'not the pooled pass'
        for a, b in zip(got, expected):  # sums in another order
            torch.testing.assert_close(a, b, rtol=1e-5,
                                       atol=1e-5 * b.abs().max().item())
    with torch.no_grad(), using_routes({'projection': route}):
        evaluated = layer(x.contiguous(memory_format=torch.channels_last),
                          adjacency)
    torch.testing.assert_close(evaluated, expected[0], rtol=1e-5, atol=1e-5)
    measured = {'pooled_output', 'input_grad', 'weight_grad', 'output'}
    assert _projection_products() == (measured if route == 'per_layer'
                                      else set())


def test_below_the_onednn_channel_block_nothing_is_measured(measuring):
    torch.manual_seed(0)
    layer = GraphConv(4, 16, 3)  # K*C_in = 12 < 16
    x, adjacency = _inputs(4)
    expected = _pass(layer, x, adjacency, channels_last=False)
    with using_routes({'projection': 'per_layer'}):
        got = _pass(layer, x, adjacency, channels_last=True)
    assert _projection_products() == set()
    # the narrow weight gradient's GEMM, operands swapped, agrees too
    for a, b in zip(got, expected):
        torch.testing.assert_close(a, b, rtol=1e-5,
                                   atol=1e-5 * b.abs().max().item())


def test_bf16_autocast_training_takes_the_pooled_pass_in_bf16():
    torch.manual_seed(0)
    layer = GraphConv(16, 32, 3)
    x, adjacency = _inputs(16, seed=2)
    expected = _pass(layer, x, adjacency, channels_last=True)
    buffer_pool.release_buffers()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = layer(x.contiguous(memory_format=torch.channels_last)
                    .requires_grad_(), adjacency)
    assert out.dtype == torch.bfloat16
    pooled = buffer_pool.thread_pool().buffers
    assert pooled and all(b.dtype == torch.bfloat16 for b in pooled)
    grad = torch.randn(out.shape, generator=torch.Generator().manual_seed(5))
    weight_grad, adjacency_grad = torch.autograd.grad(
        out, [layer.conv.weight, adjacency], grad.to(out.dtype))
    assert weight_grad.dtype == adjacency_grad.dtype == torch.float32
    # bf16 keeps 8 bits: within 2% of the largest value
    for got, want in ((out.float(), expected[0]),
                      (weight_grad, expected[3]),
                      (adjacency_grad, expected[2])):
        assert (got - want).abs().max() < 0.02 * want.abs().max()
