"""Layer routes measured per layer shape (``per_layer``): the choice is
the faster candidate, made once, kept on disk, and every candidate gives
the plain convolution's result."""
import json
import time

import pytest
import torch
from torch import nn

from stgcn_reg.models.layers.temporal_conv import TemporalConv
from stgcn_reg.models.layers.temporal_conv_grad import temporal_conv
from stgcn_reg.models.routes import layer_tuner, route_tuner, using_routes
from stgcn_reg.models.routes.route_cache import cache_file


def stored_layer_choices(route: str) -> dict:
    try:
        entries = json.load(open(cache_file()))
    except FileNotFoundError:
        return {}
    return {key: value for key, value in entries.items()
            if key.startswith(f'layer {route} ')}


def test_the_faster_run_is_chosen_once_and_read_from_disk(measuring):
    calls = []

    def slow():
        calls.append('winograd')
        time.sleep(0.02)
        return 'slow result'

    def fast():
        calls.append('direct')
        return 'fast result'

    runs = dict(winograd=slow, direct=fast)
    key = layer_tuner.layer_key('temporal', (torch.zeros(2, 3),), stride=1)
    assert key.startswith('layer temporal (2, 3) stride=1 float32 threads=')
    assert layer_tuner.choose_layer_route('temporal', key, runs) == (
        'direct', 'fast result')
    measured = len(calls)
    assert measured == 2 * (route_tuner.REPEATS + 1)
    entry = stored_layer_choices('temporal')[key]
    assert entry['routes'] == {'temporal': 'direct'}
    assert set(entry['times_ms']) == {'winograd', 'direct'}
    route_tuner.forget_choices(keep_disk=False)  # a new process
    assert layer_tuner.choose_layer_route('temporal', key, runs) == (
        'direct', 'fast result')
    assert calls[measured:] == ['direct']  # read, not measured again


def test_a_candidate_added_since_the_cached_choice_is_measured(measuring):
    calls = []

    def run(name, seconds=0.0):
        def compute():
            calls.append(name)
            time.sleep(seconds)
            return name
        return compute

    key = layer_tuner.layer_key('weight_grad', (torch.zeros(2, 3),))
    old = dict(gemm=run('gemm', 0.01), onednn=run('onednn', 0.02))
    assert layer_tuner.choose_layer_route('weight_grad', key, old)[0] == (
        'gemm')
    route_tuner.forget_choices(keep_disk=False)  # a new process, new code
    new = dict(old, winograd=run('winograd'))
    calls.clear()
    assert layer_tuner.choose_layer_route('weight_grad', key, new) == (
        'winograd', 'winograd')
    assert set(calls) == {'gemm', 'onednn', 'winograd'}  # measured again
    assert set(stored_layer_choices('weight_grad')[key]['times_ms']) == {
        'gemm', 'onednn', 'winograd'}
    route_tuner.forget_choices(keep_disk=False)
    calls.clear()  # fewer candidates than were timed: the cache holds
    assert layer_tuner.choose_layer_route('weight_grad', key, dict(
        gemm=old['gemm'], winograd=new['winograd']))[0] == 'winograd'
    assert calls == ['winograd']


@pytest.mark.parametrize('channels,stride', [(16, 1), (16, 2), (8, 1)])
def test_per_layer_weight_gradient_matches_conv2d(measuring, channels,
                                                  stride):
    torch.manual_seed(0)
    conv = nn.Conv2d(channels, channels, (9, 1), (stride, 1), (4, 0))
    x = torch.randn(2, channels, 12, 5).to(
        memory_format=torch.channels_last).requires_grad_()
    grad = torch.randn_like(conv(x))
    expected = torch.autograd.grad(conv(x), [x, conv.weight, conv.bias],
                                   grad)
    for _ in range(2):  # measured, then the remembered choice
        with using_routes({'weight_grad': 'per_layer'}):
            out = temporal_conv(x, conv)
        got = torch.autograd.grad(out, [x, conv.weight, conv.bias], grad)
        for a, b in zip(got, expected):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    choices = stored_layer_choices('weight_grad')
    assert len(choices) == 1
    entry = next(iter(choices.values()))
    # the Winograd form competes where it applies (stride 1, 12 frames)
    candidates = {'gemm', 'onednn'} | ({'winograd'} if stride == 1 else set())
    assert set(entry['times_ms']) == candidates
    assert entry['routes']['weight_grad'] in candidates


def test_a_conv_onednn_could_crash_on_is_not_measured(measuring):
    # a strided 1x1 conv under 16 channels: oneDNN issue #6035
    conv = nn.Conv2d(8, 8, (1, 1), (2, 1))
    x = torch.randn(2, 8, 12, 5).to(
        memory_format=torch.channels_last).requires_grad_()
    with using_routes({'weight_grad': 'per_layer'}):
        grad, = torch.autograd.grad(temporal_conv(x, conv).sum(),
                                    [conv.weight])
    expected, = torch.autograd.grad(conv(x).sum(), [conv.weight])
    torch.testing.assert_close(grad, expected, rtol=1e-5, atol=1e-5)
    assert stored_layer_choices('weight_grad') == {}


def test_per_layer_temporal_algorithm_in_eval(measuring):
    torch.manual_seed(1)
    unit = TemporalConv(16).eval()
    with torch.no_grad():
        for frames in (12, 10):
            x = torch.randn(2, 16, frames, 5).to(
                memory_format=torch.channels_last)
            expected = unit.bn_out(unit.conv(x))
            with using_routes({'temporal': 'per_layer'}):
                folded = unit.folded_conv(x)
                unfolded = temporal_conv(x, unit.conv)
            torch.testing.assert_close(folded, expected, rtol=1e-4,
                                       atol=1e-5)
            torch.testing.assert_close(unfolded, unit.conv(x), rtol=1e-4,
                                       atol=1e-5)
            keys = [key for key in stored_layer_choices('temporal')
                    if f'(2, 16, {frames}, 5)' in key]
            # 10 frames: Winograd with two zero frames appended
            assert len(keys) == 1


def test_backbone_and_layer_choices_share_the_cache_file(default_scope,
                                                         measuring):
    from stgcn_reg.registry import MODELS
    backbone = MODELS.build(dict(
        type='STGCN', channels=(16, 16), strides=(1, 1),
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d')))
    backbone(torch.randn(1, 3, 12, 25, 1)).sum().backward()
    entries = json.load(open(cache_file()))
    backbone_keys = [key for key in entries if key.startswith('STGCN-')]
    assert len(backbone_keys) == 1 and ' train ' in backbone_keys[0]
    assert set(entries[backbone_keys[0]]['times_ms']) == {
        'channels_last+per_layer+folded+per_layer+per_layer',
        'contiguous+gemm+folded+gemm+direct'}
    # both 16-channel layers share one shape; the first has 3 inputs but
    # its temporal conv sees 16 channels too
    assert len(stored_layer_choices('weight_grad')) == 1


def test_nothing_is_timed_per_layer_where_routes_are_not_measured(
        default_scope, measuring):
    from stgcn_reg.registry import MODELS
    backbone = MODELS.build(dict(
        type='STGCN', channels=(16, 16), strides=(1, 1), with_cp=True,
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d')))
    x = torch.randn(1, 3, 12, 25, 1)
    # checkpointed training: the routes stay as forced or default
    routes = backbone.routes_for(x)
    assert routes['weight_grad'] == 'gemm' and routes['temporal'] == 'direct'
    backbone(x).sum().backward()
    assert stored_layer_choices('weight_grad') == {}


def test_training_times_the_output_and_input_gradient_forms(measuring):
    torch.manual_seed(0)
    conv = nn.Conv2d(16, 16, (9, 1), padding=(4, 0))
    x = torch.randn(2, 16, 12, 5).to(
        memory_format=torch.channels_last).requires_grad_()
    grad = torch.randn(2, 16, 12, 5)
    expected = torch.autograd.grad(conv(x), [x, conv.weight, conv.bias],
                                   grad)
    for _ in range(2):  # measured, then the remembered choices
        with using_routes({'weight_grad': 'onednn',
                           'temporal': 'per_layer'}):
            out = temporal_conv(x, conv)
        got = torch.autograd.grad(out, [x, conv.weight, conv.bias], grad)
        for a, b in zip(got, expected):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    keys = list(stored_layer_choices('temporal'))
    assert len(keys) == 2  # the output and the input gradient
    assert sum('product=input_grad' in key for key in keys) == 1
    assert stored_layer_choices('weight_grad') == {}  # forced: not timed
