"""The fused graph convolution reuses one aggregation buffer when no
autograd keeps it (under autocast one of the autocast dtype), and gives
the same result as with a new tensor; under autocast it casts the small
mixing matrix, not a broadcast copy of it."""
import torch

from stgcn_reg.models.layers import graph_conv
from stgcn_reg.models.layers.graph_conv import (
    GraphConv,
    aggregation_workspace,
)


def _inputs(c: int, t: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(2, c, t, 25, generator=generator)
    adjacency = torch.rand(3, 25, 25, generator=generator)
    return x.contiguous(memory_format=torch.channels_last), adjacency


def test_eval_results_match_a_fresh_buffer_and_survive_the_next_call():
    torch.manual_seed(0)
    layer = GraphConv(8, 16, 3)
    x, adjacency = _inputs(8, 12, seed=1)
    other_x, _ = _inputs(8, 20, seed=2)
    with torch.enable_grad():
        expected = layer(x, adjacency).detach()
    with torch.no_grad():
        first = layer(x, adjacency)
        kept = first.clone()
        layer(other_x, adjacency)  # a larger call reuses / grows the buffer
    torch.testing.assert_close(first, expected, rtol=0, atol=0)
    torch.testing.assert_close(first, kept, rtol=0, atol=0)


def test_one_buffer_serves_every_call_of_its_size_or_smaller():
    x, _ = _inputs(4, 10, seed=3)
    with torch.no_grad():
        big = aggregation_workspace(x, 20, 75, 4)
        small = aggregation_workspace(x, 10, 75, 4)
        again = aggregation_workspace(x, 20, 75, 4)
    assert small.untyped_storage().data_ptr() == big.untyped_storage(
    ).data_ptr()
    assert again.data_ptr() == big.data_ptr()
    assert again.shape == (20, 75, 4)


def test_no_buffer_when_autograd_or_tracing_needs_the_tensor():
    x, adjacency = _inputs(4, 10, seed=4)
    with torch.enable_grad():
        assert aggregation_workspace(x, 20, 75, 4) is None
    layer = GraphConv(4, 4, 3)
    with torch.no_grad():
        traced = torch.jit.trace(layer, (x, adjacency), check_trace=False)
    torch.testing.assert_close(traced(x, adjacency), layer(x, adjacency))


def test_buffers_are_kept_per_dtype():
    x, _ = _inputs(4, 10, seed=5)
    with torch.no_grad():
        single = aggregation_workspace(x, 20, 75, 4)
        double = aggregation_workspace(x.double(), 20, 75, 4)
    assert single.dtype == torch.float32 and double.dtype == torch.float64
    assert single.untyped_storage().data_ptr() != double.untyped_storage(
    ).data_ptr()
    with torch.no_grad():
        assert aggregation_workspace(x, 20, 75, 4).data_ptr() == (
            single.data_ptr())


def test_inference_mode_then_no_grad_share_the_buffer():
    """The buffer made under inference_mode is written under no_grad and
    under inference_mode again."""
    torch.manual_seed(0)
    layer = GraphConv(4, 6, 3)
    x, adjacency = _inputs(4, 300, seed=6)  # larger than the others here
    with torch.no_grad():
        expected = layer(x, adjacency).clone()
    graph_conv._WORKSPACES.__dict__.clear()
    with torch.inference_mode():
        first = layer(x, adjacency)
    with torch.no_grad():
        second = layer(x, adjacency)
    with torch.inference_mode():
        third = layer(x, adjacency)
    for result in (first, second, third):
        torch.testing.assert_close(result, expected, rtol=0, atol=0)


def test_autocast_casts_the_small_mixing_matrix_not_its_broadcast():
    from torch.utils._python_dispatch import TorchDispatchMode

    class CastSizes(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.sizes = []

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if func is torch.ops.aten._to_copy.default:
                self.sizes.append(out.numel())
            return out

    torch.manual_seed(0)
    layer = GraphConv(16, 16, 3)
    x, adjacency = _inputs(16, 12, seed=4)
    x.requires_grad_(True)
    with CastSizes() as casts, torch.autocast('cpu', dtype=torch.bfloat16):
        out = layer(x, adjacency)
    out.float().sum().backward()
    # the broadcast (N*T, V*K, V) would be 2 * 12 * 75 * 25 elements
    assert casts.sizes and max(casts.sizes) < 2 * 12 * 75 * 25
    assert out.dtype == torch.bfloat16
    with torch.no_grad():
        expected = layer(x, adjacency)
    torch.testing.assert_close(out.float(), expected, rtol=0.05, atol=0.05)


def test_a_float32_bias_is_added_in_the_bf16_output_dtype():
    from torch.utils._python_dispatch import TorchDispatchMode

    class MixedAdds(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.mixed = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            if func in (torch.ops.aten.add_.Tensor, torch.ops.aten.add.Tensor):
                dtypes = {a.dtype for a in args if isinstance(a, torch.Tensor)}
                self.mixed += len(dtypes) > 1
            return func(*args, **(kwargs or {}))

    x, adjacency = _inputs(16, 12, seed=5)
    weight = torch.randn(32, 48)
    bias = torch.randn(25, 32)  # float32, as a folded BatchNorm gives it
    with torch.no_grad():
        expected = graph_conv.fused_graph_conv(x, adjacency, weight, bias)
        with MixedAdds() as adds, torch.autocast('cpu',
                                                 dtype=torch.bfloat16):
            out = graph_conv.fused_graph_conv(x, adjacency, weight, bias)
    assert out.dtype == torch.bfloat16 and adds.mixed == 0
    # bf16 keeps 8 bits: within 1% of the largest output
    assert (out.float() - expected).abs().max() < 0.01 * expected.abs().max()


def test_under_autocast_the_buffer_has_the_autocast_dtype():
    """bf16 eval under autocast writes a bf16 workspace and matches the
    same layer run with autograd (a new tensor)."""
    torch.manual_seed(0)
    layer = GraphConv(16, 8, 3)
    x, adjacency = _inputs(16, 10, seed=7)
    with torch.autocast('cpu', torch.bfloat16):
        expected = layer(x, adjacency).detach()
        with torch.no_grad():
            buffer = aggregation_workspace(x.bfloat16(), 20, 75, 16)
            out = layer(x, adjacency)
            again = aggregation_workspace(x.bfloat16(), 20, 75, 16)
    assert buffer.dtype == torch.bfloat16 and out.dtype == torch.bfloat16
    assert again.data_ptr() == buffer.data_ptr()
    torch.testing.assert_close(out, expected, rtol=0, atol=0)
