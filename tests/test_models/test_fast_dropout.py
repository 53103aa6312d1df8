"""FastDropout: dropout's distribution with a cheaper mask."""
import pytest
import torch

from stgcn_reg.models.layers.fast_dropout import (
    FastDropout,
    dropout_mask,
    dyadic_bits,
)


@pytest.mark.parametrize('p', [0.1, 0.25, 0.5, 0.75, 0.9, 0.0625])
def test_mask_values_and_keep_rate(p):
    torch.manual_seed(0)
    mask = dropout_mask(1_000_001, p, torch.device('cpu'))
    assert mask.shape == (1_000_001, ) and mask.dtype == torch.float32
    values = mask.unique().tolist()
    assert values == [0.0, pytest.approx(1 / (1 - p), rel=1e-6)]
    kept = (mask > 0).double().mean().item()
    assert kept == pytest.approx(1 - p, abs=3e-3)
    # unbiased: dropout keeps the mean
    assert mask.double().mean().item() == pytest.approx(1.0, abs=1e-2)


@pytest.mark.parametrize('p', [0.5, 0.25, 0.1])
def test_a_bf16_mask_is_the_float32_mask_cast(p):
    # drawn straight in bf16 under autocast: no float32 pass, same bits
    torch.manual_seed(3)
    want = dropout_mask(10_001, p, torch.device('cpu')).to(torch.bfloat16)
    torch.manual_seed(3)
    got = dropout_mask(10_001, p, torch.device('cpu'), torch.bfloat16)
    assert got.dtype == torch.bfloat16 and torch.equal(got, want)


def test_p_zero_keeps_every_entry():
    mask = dropout_mask(1000, 0.0, torch.device('cpu'))
    assert mask.dtype == torch.float32 and bool((mask == 1.0).all())


def test_bits_per_entry_follow_p():
    assert [dyadic_bits(p) for p in (0.5, 0.25, 0.75, 0.125, 1 / 256)] == [
        1, 2, 2, 4, 8]
    assert dyadic_bits(0.1) == 0 and dyadic_bits(1 / 512) == 0


@pytest.mark.parametrize('p', [0.5, 0.25])
def test_every_bit_position_is_random(p):
    # one-bit masks take bit i of each random byte for row i: a stuck bit
    # (the top bit of random_()'s words is always 0) would show in a row
    torch.manual_seed(3)
    per_byte = 8 // dyadic_bits(p)
    mask = dropout_mask(per_byte * 100_000, p, torch.device('cpu'))
    rates = (mask.view(per_byte, -1) > 0).double().mean(1)
    assert torch.allclose(rates, torch.full_like(rates, 1 - p), atol=6e-3)


def test_mask_bits_are_independent_between_halves():
    # the two int32 halves of each random int64 feed neighbouring entries
    torch.manual_seed(1)
    mask = dropout_mask(400_000, 0.5, torch.device('cpu')) > 0
    pairs = mask.view(-1, 2).double()
    both = (pairs[:, 0] * pairs[:, 1]).mean().item()
    assert both == pytest.approx(0.25, abs=5e-3)


def test_training_drops_and_scales_eval_is_identity():
    layer = FastDropout(0.5)
    x = torch.ones(4, 8, 16, 5).contiguous(memory_format=torch.channels_last)
    torch.manual_seed(0)
    y = layer(x)
    assert set(y.unique().tolist()) == {0.0, 2.0}
    assert y.is_contiguous(memory_format=torch.channels_last)
    layer.eval()
    assert layer(x) is x
    assert FastDropout(0.0).train()(x) is x
    assert not FastDropout(1.0).train()(x).any()


def test_gradient_is_the_same_mask():
    layer = FastDropout(0.3)
    x = torch.randn(64, 32, requires_grad=True)
    torch.manual_seed(2)
    y = layer(x)
    y.sum().backward()
    mask = y.detach() / x.detach()
    torch.testing.assert_close(x.grad, mask, rtol=1e-6, atol=1e-6)


def test_same_seed_same_mask_and_repr():
    layer = FastDropout(0.5)
    x = torch.ones(3, 100)
    torch.manual_seed(5)
    first = layer(x)
    torch.manual_seed(5)
    torch.testing.assert_close(layer(x), first, rtol=0, atol=0)
    assert 'p=0.5' in repr(layer)
    with pytest.raises(ValueError, match='probability'):
        FastDropout(1.5)


def test_compiled_in_one_graph_with_the_same_distribution():
    from torch._dynamo.utils import counters
    counters.clear()
    layer = torch.compile(FastDropout(0.5), backend='eager')
    x = torch.ones(64, 32, 10, 25).contiguous(
        memory_format=torch.channels_last)
    out = layer(x)
    assert not counters['graph_break'], dict(counters['graph_break'])
    assert counters['stats']['unique_graphs'] == 1
    assert set(out.unique().tolist()) == {0.0, 2.0}
    assert abs((out == 0).float().mean().item() - 0.5) < 0.01
