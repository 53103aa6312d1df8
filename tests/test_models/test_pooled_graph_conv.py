"""The pooled training pass of the fused graph convolution computes what
autograd computes without the pool, and never hands out memory that a
graph or a caller still uses."""
import pytest
import torch

from stgcn_reg.models.layers import buffer_pool
from stgcn_reg.models.layers.graph_conv import GraphConv
from stgcn_reg.models.routes.route_options import using_routes


@pytest.fixture(autouse=True)
def fresh_pool(monkeypatch):
    """Each test starts with an empty pool under the default limit."""
    monkeypatch.delenv(buffer_pool.ENV_LIMIT, raising=False)
    monkeypatch.setattr(buffer_pool, 'MIN_POOLED_BYTES', 0)
    buffer_pool.release_buffers()
    yield
    buffer_pool.release_buffers()


def _inputs(c: int, t: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(2, c, t, 25, generator=generator)
    x = x.contiguous(memory_format=torch.channels_last).requires_grad_()
    adjacency = torch.rand(3, 25, 25, generator=generator).requires_grad_()
    return x, adjacency


def _grads(layer, x, adjacency, grad_seed=5):
    out = layer(x, adjacency)
    grad = torch.randn(out.shape,
                       generator=torch.Generator().manual_seed(grad_seed))
    tensors = [x, adjacency, layer.conv.weight, layer.conv.bias]
    return [out.detach()] + list(torch.autograd.grad(out, tensors, grad))


@pytest.mark.parametrize('projection', ['gemm', 'onednn'])
def test_pooled_pass_matches_autograd_without_the_pool(monkeypatch,
                                                       projection):
    torch.manual_seed(0)
    layer = GraphConv(16, 32, 3)
    x, adjacency = _inputs(16, 12, seed=1)
    with using_routes(dict(projection=projection)):
        pooled = _grads(layer, x, adjacency)
        assert buffer_pool.thread_pool().buffers, 'the pool was not used'
        monkeypatch.setenv(buffer_pool.ENV_LIMIT, '0')
        buffer_pool.release_buffers()
        assert buffer_pool.thread_pool() is None
        plain = _grads(layer, x, adjacency)
    assert pooled[0].is_contiguous(memory_format=torch.channels_last)
    for got, expected in zip(pooled, plain):  # sums in another order
        scale = expected.abs().max().item()
        torch.testing.assert_close(got, expected, rtol=1e-5,
                                   atol=1e-6 * scale)


def test_two_graphs_alive_at_once_keep_their_own_buffers():
    torch.manual_seed(0)
    layer = GraphConv(8, 16, 3)
    x1, adjacency = _inputs(8, 10, seed=2)
    x2, _ = _inputs(8, 10, seed=3)
    expected = [_grads(layer, x, adjacency) for x in (x1, x2)]
    buffer_pool.release_buffers()
    out1, out2 = layer(x1, adjacency), layer(x2, adjacency)  # same sizes
    assert out1.data_ptr() != out2.data_ptr()
    for out, x, want in ((out2, x2, expected[1]), (out1, x1, expected[0])):
        grad = torch.randn(out.shape,
                           generator=torch.Generator().manual_seed(5))
        got = torch.autograd.grad(out, [x, adjacency, layer.conv.weight],
                                  grad)
        torch.testing.assert_close(out.detach(), want[0])
        for g, w in zip(got, want[1:4]):
            torch.testing.assert_close(g, w)


def test_a_finished_step_gives_its_buffers_to_the_next():
    layer = GraphConv(8, 16, 3)
    leaf, adjacency = _inputs(8, 10, seed=4)
    # not a leaf: a leaf's .grad may keep the input gradient's memory
    x = leaf * 2
    layer(x, adjacency).sum().backward(retain_graph=True)
    pool = buffer_pool.thread_pool()
    held = {buffer.data_ptr() for buffer in pool.buffers}
    for _ in range(2):
        layer(x, adjacency).sum().backward(retain_graph=True)
    assert {buffer.data_ptr() for buffer in pool.buffers} == held


def test_the_limit_bounds_the_pool_and_bad_values_are_named(monkeypatch):
    layer = GraphConv(8, 16, 3)
    monkeypatch.setenv(buffer_pool.ENV_LIMIT, '0.05')  # 52 kB
    buffer_pool.release_buffers()
    for t in (10, 11, 12):  # new sizes evict old free buffers
        x, adjacency = _inputs(8, t, seed=t)
        layer(x, adjacency).sum().backward()
        assert buffer_pool.thread_pool().pooled_bytes() <= 0.05 * 2**20
    monkeypatch.setenv(buffer_pool.ENV_LIMIT, 'lots')
    buffer_pool.release_buffers()
    with pytest.raises(ValueError, match='STGCN_REG_BUFFER_POOL_MB'):
        buffer_pool.thread_pool()


def test_a_held_output_is_not_overwritten_by_the_next_call():
    layer = GraphConv(8, 16, 3)
    x, adjacency = _inputs(8, 10, seed=6)
    first = layer(x, adjacency).detach()
    kept = first.clone()
    other, _ = _inputs(8, 10, seed=7)
    layer(other, adjacency).sum().backward()
    torch.testing.assert_close(first, kept, rtol=0, atol=0)


def test_sizes_no_longer_asked_for_are_dropped():
    layer = GraphConv(8, 16, 3)
    x, adjacency = _inputs(8, 10, seed=8)
    # a leaf's .grad may keep the input gradient's memory (in use)
    layer(x * 1.0, adjacency).sum().backward()
    pool = buffer_pool.thread_pool()
    old = {buffer.numel() for buffer in pool.buffers}
    other, _ = _inputs(8, 11, seed=9)  # another length from now on
    layer(other * 1.0, adjacency).sum().backward()
    assert old <= {buffer.numel() for buffer in pool.buffers}
    for _ in range(30):
        layer(other * 1.0, adjacency).sum().backward()
    assert old and not old & {buffer.numel() for buffer in pool.buffers}
