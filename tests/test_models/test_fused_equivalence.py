"""The optimised ST-GCN computes what the plain equations compute.

``PlainSTGCN`` (tests/reference_stgcn_plain.py) runs every
layer as written: 1x1 conv to K*C, einsum with A, BN, ReLU, 9x1 conv.
Our model (channels-last, fused graph conv, BN folded in eval mode,
gradient checkpointing, torch.compile) loads the same state dict and must
give the same logits, gradients and BN statistics in float32.
"""
import copy

import pytest
import torch
from reference_stgcn_plain import PlainSTGCN

from stgcn_reg.models.layers import temporal_conv_grad
from stgcn_reg.models.layers.winograd_temporal_conv import (
    winograd_conv,
    winograd_weight_grad,
)
from stgcn_reg.registry import MODELS

TOL = dict(rtol=1e-5, atol=1e-5)
CHANNELS = (8, 8, 16, 16)
STRIDES = (1, 2, 1, 2)


def build_ours(channels=CHANNELS, strides=STRIDES,
               **backbone) -> torch.nn.Module:
    model = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', channels=channels, strides=strides,
                      graph_cfg=dict(type='Graph', layout='ntu-rgb+d',
                                     strategy='spatial'), **backbone),
        cls_head=dict(type='ClsHead', num_classes=5,
                      in_channels=channels[-1])))
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():  # random values everywhere, BN statistics too
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point() and not name.endswith('.A'):
                low = 0.5 if 'running_var' in name else -0.5
                tensor.copy_(low + torch.rand(tensor.shape,
                                              generator=generator))
    return model


def plain_copy(model: torch.nn.Module, dropout: float = 0.0,
               channels=CHANNELS, strides=STRIDES) -> PlainSTGCN:
    plain = PlainSTGCN(model.backbone.A, num_classes=5, channels=channels,
                       strides=strides, dropout=dropout)
    plain.load_state_dict(model.state_dict(), strict=True)
    return plain


def skeletons(t: int = 16, seed: int = 1) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(3, 3, t, 25, 2, generator=generator)


def train_step(model, x, mode_is_ours=True):
    """Logits, loss gradients by name, BN statistics after one pass."""
    model.train()
    model.zero_grad()
    logits = model(x)
    labels = torch.tensor([0, 3, 4])
    torch.nn.functional.cross_entropy(logits, labels).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    stats = {n: b.clone() for n, b in model.named_buffers()}
    return logits.detach(), grads, stats


def assert_same_step(ours, plain, x):
    logits, grads, stats = train_step(ours, x)
    plain_logits, plain_grads, plain_stats = train_step(plain, x)
    assert logits.std() > 0.1  # a comparison of non-trivial numbers
    torch.testing.assert_close(logits, plain_logits, **TOL)
    assert grads.keys() == plain_grads.keys()
    for name in grads:
        assert plain_grads[name].abs().max() > 0, name
        torch.testing.assert_close(grads[name], plain_grads[name], **TOL,
                                   msg=lambda m, n=name: f'{n}: {m}')
    for name in stats:
        torch.testing.assert_close(stats[name], plain_stats[name], **TOL,
                                   msg=lambda m, n=name: f'{n}: {m}')


@pytest.mark.parametrize('options', [
    dict(), dict(channels_last=False), dict(with_cp=True),
    dict(edge_importance_weighting=False),
    dict(routes=dict(weight_grad='onednn')),
    dict(routes=dict(memory_format='contiguous')),
    dict(routes=dict(weight_grad='onednn', projection='onednn')),
    dict(routes=dict(weight_grad='per_layer')),
    dict(routes=dict(temporal='winograd')),
    dict(routes=dict(temporal='winograd', weight_grad='onednn')),
    dict(routes=dict(weight_grad='winograd')),
    dict(routes=dict(weight_grad='per_layer', projection='per_layer',
                     temporal='per_layer')),
], ids=['fused', 'layer_by_layer', 'with_cp', 'no_importance',
        'onednn_weight_grad', 'contiguous_route', 'onednn_projection',
        'per_layer_weight_grad', 'winograd', 'winograd_onednn_weight_grad',
        'winograd_weight_grad', 'all_per_layer'])
def test_training_forward_and_backward_match_plain(default_scope,
                                                   private_route_cache,
                                                   options, monkeypatch):
    ours = build_ours(**options)
    plain = PlainSTGCN(ours.backbone.A, num_classes=5, channels=CHANNELS,
                       strides=STRIDES,
                       edge_importance=ours.backbone.edge_importance
                       is not None)
    plain.load_state_dict(ours.state_dict(), strict=True)
    winograd_calls = []

    def counted(*args):
        winograd_calls.append(tuple(args[0].shape))
        return winograd_conv(*args)

    monkeypatch.setattr(temporal_conv_grad, 'winograd_conv', counted)
    weight_grad_calls = []

    def counted_weight_grad(grad_out, x):
        weight_grad_calls.append(x.shape[2])
        return winograd_weight_grad(grad_out, x)

    monkeypatch.setattr(temporal_conv_grad, 'winograd_weight_grad',
                        counted_weight_grad)
    # frames divisible by 3 in the stride-1 blocks (T = 12 and 6); seed 1
    # puts one value before the last block's first ReLU at 1.2e-8, which
    # Winograd's rounding (1e-6 of the largest output, oneDNN's 1e-7)
    # moves below zero: one gradient element then differs by 6%
    assert_same_step(ours, plain, skeletons(t=12, seed=2))
    routes = options.get('routes', {})
    if routes.get('temporal') == 'winograd':
        # output and input gradient of the two stride-1 blocks
        assert sorted(shape[2] for shape in winograd_calls) == [6, 6, 12,
                                                                12]
    if routes.get('weight_grad') == 'winograd':
        assert sorted(weight_grad_calls) == [6, 12]


@pytest.mark.parametrize('routes', [
    dict(), dict(eval_bn='plain'), dict(memory_format='contiguous'),
    dict(projection='onednn'), dict(eval_bn='plain', projection='onednn'),
    dict(temporal='winograd'), dict(eval_bn='plain', temporal='winograd'),
    dict(temporal='per_layer'),
], ids=['folded', 'plain_bn', 'contiguous', 'onednn_projection',
        'plain_bn_onednn_projection', 'winograd', 'plain_bn_winograd',
        'per_layer_temporal'])
def test_eval_logits_match_plain_with_folded_batchnorm(default_scope,
                                                       private_route_cache,
                                                       routes, monkeypatch):
    ours = build_ours(routes=routes)
    plain = plain_copy(ours)
    ours.eval()
    plain.eval()
    x = skeletons(t=12)  # frames divisible by 3 in the stride-1 blocks
    winograd_calls = []

    def counted(*args):
        winograd_calls.append(args[0].shape)
        return winograd_conv(*args)

    monkeypatch.setattr(temporal_conv_grad, 'winograd_conv', counted)
    with torch.no_grad():
        expected = plain(x)
        actual = ours(x)
    assert expected.std() > 0.1
    torch.testing.assert_close(actual, expected, **TOL)
    # the Winograd form ran in the two stride-1 blocks (T = 12 and 6);
    # per layer it was timed there (three runs each), then one of the two
    # forms ran
    calls = [shape[2] for shape in winograd_calls]
    if routes.get('temporal') == 'winograd':
        assert calls == [12, 6]
    elif routes.get('temporal') == 'per_layer':
        assert calls[:3] == [12] * 3 and set(calls) == {12, 6}
    else:
        assert calls == []
    # eval mode with gradients (e.g. saliency) folds too, and backward works
    x.requires_grad_(True)
    ours(x).sum().backward()
    grad_ours = x.grad.clone()
    x.grad = None
    plain(x).sum().backward()
    torch.testing.assert_close(grad_ours, x.grad, **TOL)


def test_features_are_channels_last_and_state_dict_unchanged(default_scope):
    fused = build_ours()
    layered = build_ours(channels_last=False)
    assert {k: v.shape for k, v in fused.state_dict().items()} == {
        k: v.shape for k, v in layered.state_dict().items()}
    feats = fused.backbone(skeletons(t=8))
    assert feats.shape == (3, 2, 16, 2, 25)
    assert feats.view(6, 16, 2, 25).is_contiguous(
        memory_format=torch.channels_last)
    assert layered.backbone(skeletons(t=8)).is_contiguous()


def test_with_cp_dropout_masks_match_without_checkpointing(default_scope):
    # the recomputation must draw the same dropout masks again
    plain_run = build_ours(dropout=0.5)
    checkpointed = copy.deepcopy(plain_run)
    checkpointed.backbone.with_cp = True
    x = skeletons()
    torch.manual_seed(3)
    logits, grads, stats = train_step(plain_run, x)
    torch.manual_seed(3)
    logits_cp, grads_cp, stats_cp = train_step(checkpointed, x)
    torch.testing.assert_close(logits_cp, logits, **TOL)
    for name in grads:
        torch.testing.assert_close(grads_cp[name], grads[name], **TOL)
    # running statistics counted once, not again by the recomputation
    for name in stats:
        torch.testing.assert_close(stats_cp[name], stats[name], **TOL)


def test_dropout_is_used_in_training_and_not_in_eval(default_scope):
    ours = build_ours(dropout=0.5).train()
    x = skeletons()
    first, second = ours(x), ours(x)
    assert not torch.allclose(first, second)
    ours.eval()
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ours(x), rtol=0, atol=0)


@pytest.mark.slow
def test_torch_compile_matches_plain(default_scope):
    if not hasattr(torch, 'compile'):
        pytest.skip('torch.compile needs torch 2.0+')
    # two blocks, the second strided with a 16-channel projection: the whole
    # model is one graph (a graph break costs Inductor another compile, forward
    # and backward). The narrower oneDNN-guarded projection, which runs
    # eagerly under compile, is checked compiled in onednn_conv_grid.py.
    shapes = dict(channels=(16, 32), strides=(1, 2))
    ours = build_ours(compile=True, **shapes)
    plain = plain_copy(ours, **shapes)
    from torch._dynamo.utils import counters
    counters.clear()
    try:
        assert_same_step(ours, plain, skeletons(t=8))
    except Exception as error:  # no C++ compiler, unsupported platform
        if 'Compile' in type(error).__name__ or 'compiler' in str(error):
            pytest.skip(f'torch.compile unavailable here: {error}')
        raise
    assert not counters['graph_break'], dict(counters['graph_break'])
