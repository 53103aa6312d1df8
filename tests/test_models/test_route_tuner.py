"""Kernel routes chosen by measurement: candidates, forcing, the on-disk
cache, and a measured backbone that leaves no trace of the measuring."""
import copy
import json
import os.path as osp
import time

import pytest
import torch

from stgcn_reg.models.layers.temporal_conv_grad import uses_own_backward
from stgcn_reg.models.routes import (
    ROUTES_ENV,
    candidate_routes,
    choose_routes,
    env_routes,
    fill_open_routes,
    route_tuner,
    using_routes,
)
from stgcn_reg.models.routes.route_cache import cache_file
from stgcn_reg.registry import MODELS


def test_candidates_follow_the_pass_and_what_is_forced():
    training = candidate_routes(True, {})
    # the layer routes are measured per layer shape, not combined
    assert [(r['memory_format'], r['weight_grad'], r['projection'])
            for r in training] == [
        ('channels_last', 'per_layer', 'per_layer'),
        ('contiguous', 'gemm', 'gemm')]
    evaluation = candidate_routes(False, {'eval_bn': 'plain',
                                          'projection': 'onednn'})
    assert [(r['memory_format'], r['temporal']) for r in evaluation] == [
        ('channels_last', 'per_layer'), ('contiguous', 'direct')]
    assert all(r['eval_bn'] == 'plain' for r in evaluation)
    assert evaluation[0]['projection'] == 'onednn'
    assert [r['temporal'] for r in training] == ['per_layer', 'direct']
    assert len(candidate_routes(False, {})) == 3  # eval_bn + contiguous
    # a forced layer route holds for every layer
    assert {r['weight_grad'] for r in candidate_routes(
        True, {'weight_grad': 'onednn'})} == {'onednn'}
    assert {r['projection'] for r in candidate_routes(
        False, {'projection': 'gemm'})} == {'gemm'}
    assert candidate_routes(True, {
        'memory_format': 'contiguous'}) == [dict(
            memory_format='contiguous', weight_grad='gemm',
            eval_bn='folded', projection='gemm', temporal='direct')]


def test_environment_forces_routes_with_clear_errors():
    forced = {'memory_format': 'auto', 'weight_grad': 'auto',
              'eval_bn': 'plain', 'projection': 'auto'}
    assert fill_open_routes(forced, {}) == forced
    assert fill_open_routes(forced, {ROUTES_ENV: 'default'}) == {
        'memory_format': 'channels_last', 'weight_grad': 'gemm',
        'eval_bn': 'plain', 'projection': 'gemm'}
    assert fill_open_routes(forced, {
        ROUTES_ENV: 'memory_format=contiguous, eval_bn=folded'}) == {
        'memory_format': 'contiguous', 'weight_grad': 'auto',
        'eval_bn': 'folded', 'projection': 'auto'}
    for spec, message in [('memory_format', 'name=value'),
                          ('speed=fast', "unknown route 'speed'"),
                          ('weight_grad=mkl', 'must be one of')]:
        with pytest.raises(ValueError, match=message):
            env_routes({ROUTES_ENV: spec})


def test_a_choice_is_measured_once_then_read_from_disk(measuring):
    calls = []

    def run(routes):
        calls.append(routes['memory_format'])
        if routes['memory_format'] == 'channels_last':
            torch.randn(300, 300) @ torch.randn(300, 300)

    candidates = candidate_routes(False, {
        'eval_bn': 'folded', 'projection': 'gemm', 'temporal': 'direct'})
    chosen = choose_routes('key', candidates, run)
    assert chosen['memory_format'] == 'contiguous'  # the one doing nothing
    assert len(calls) == 2 * (route_tuner.REPEATS + 1)
    stored = json.load(open(cache_file()))
    assert stored['key']['routes'] == chosen
    assert set(stored['key']['times_ms']) == {
        'channels_last+gemm+folded+gemm+direct',
        'contiguous+gemm+folded+gemm+direct'}
    route_tuner.forget_choices(keep_disk=False)  # a new process
    assert choose_routes('key', candidates, run) == chosen
    assert len(calls) == 2 * (route_tuner.REPEATS + 1)


@pytest.mark.parametrize('slow', [True, False])
def test_the_first_use_of_a_route_does_not_count_against_it(
        measuring, monkeypatch, slow):
    if slow:  # every pass slower than SLOW_PASS: one timed round
        monkeypatch.setattr(route_tuner, 'SLOW_PASS', 0.005)
    used = set()

    def run(routes):  # contiguous is faster once warm, slow the first time
        layout = routes['memory_format']
        seconds = 0.02 if layout == 'channels_last' else 0.01
        if layout not in used:
            seconds += 0.05
            used.add(layout)
        time.sleep(seconds)

    candidates = candidate_routes(False, {
        'eval_bn': 'folded', 'projection': 'gemm', 'temporal': 'direct'})
    assert candidates[-1]['memory_format'] == 'contiguous'
    assert choose_routes('key', candidates, run) == candidates[-1]


@pytest.mark.parametrize('gap, rounds', [(0.5, 1), (0.05, 2)])
def test_slow_passes_take_a_second_round_only_when_close(
        monkeypatch, gap, rounds):
    monkeypatch.setattr(route_tuner, 'SLOW_PASS', 0.0)
    calls = []

    def run(name):
        calls.append(name)
        time.sleep(0.01 * (1 + gap) if name == 'slower' else 0.01)

    times = route_tuner.time_candidates(run, ['faster', 'slower'])
    assert len(calls) == 2 * (1 + rounds)  # a warm-up round, then timed
    assert times[0] < times[1]


def test_a_damaged_cache_is_measured_again(measuring):
    path = cache_file()
    (measuring / 'routes').mkdir()
    with open(path, 'w') as file:
        file.write('{"key": {"routes": {"memory_format": "sideways"}}')
    candidates = candidate_routes(False, {})
    chosen = choose_routes('key', candidates, lambda routes: None)
    assert chosen in candidates
    assert json.load(open(path))['key']['routes'] == chosen


def test_the_active_route_decides_the_projection():
    from stgcn_reg.models.layers.graph_conv import project
    rows = torch.randn(2, 6, 25, 48)
    weight = torch.randn(32, 48)
    expected = rows @ weight.t()
    with using_routes({'projection': 'onednn'}):
        actual = project(rows, weight)
    assert actual.is_contiguous()
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=1e-4)


def test_the_active_route_decides_the_weight_gradient():
    conv = torch.nn.Conv2d(4, 4, (3, 1))
    x = torch.randn(2, 4, 8, 5).contiguous(memory_format=torch.channels_last)
    assert uses_own_backward(x, conv)
    with using_routes({'weight_grad': 'per_layer'}):
        assert uses_own_backward(x, conv)
    with using_routes({'weight_grad': 'onednn'}):
        assert not uses_own_backward(x, conv)


def tiny_stgcn(**options) -> torch.nn.Module:
    return MODELS.build(dict(
        type='STGCN', channels=(8, 8, 16), strides=(1, 2, 1), dropout=0.5,
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d'), **options))


def test_measuring_in_training_leaves_state_and_randomness_alone(
        default_scope, measuring):
    measured = tiny_stgcn()
    initial = copy.deepcopy(measured.state_dict())
    x = torch.randn(2, 3, 12, 25, 2)
    torch.manual_seed(5)
    out = measured(x)
    key, = [key for key in json.load(open(cache_file()))
            if key.startswith('STGCN-')]  # layer choices beside it
    chosen = route_tuner._CHOSEN[key]
    assert 'train' in key and '(2, 3, 12, 25, 2)' in key
    fixed = tiny_stgcn(routes=chosen)
    fixed.load_state_dict(initial, strict=True)
    # the same draws and BN statistics moved by exactly one batch
    torch.manual_seed(5)
    expected = fixed(x)
    torch.testing.assert_close(out, expected, rtol=0, atol=0)
    for (name, a), (_, b) in zip(measured.named_buffers(),
                                 fixed.named_buffers()):
        torch.testing.assert_close(a, b, rtol=0, atol=0, msg=name)
    assert all(p.grad is None for p in measured.parameters())
    assert osp.isfile(cache_file())


def test_torch_compile_reads_the_routes_without_a_graph_break():
    import torch._dynamo

    from stgcn_reg.models.routes import active_route

    def layer(x):
        return x * 3 if active_route('projection') == 'onednn' else x + 1

    with using_routes({'projection': 'onednn'}):
        explained = torch._dynamo.explain(layer)(torch.ones(2))
    assert explained.graph_break_count == 0
    compiled = torch.compile(layer, backend='eager')
    for route, expected in (('onednn', 3.0), ('gemm', 2.0)):
        with using_routes({'projection': route}):  # guarded: recompiled
            assert compiled(torch.ones(2)).tolist() == [expected] * 2
    assert active_route('projection') == 'gemm'  # the default again


def test_backbones_forced_differently_keep_their_own_choices(
        default_scope, measuring, monkeypatch):
    from stgcn_reg.registry import MODELS
    timed = []
    real = route_tuner.time_candidates

    def counted(run, candidates):
        timed.append(len(candidates))
        return real(run, candidates)

    monkeypatch.setattr(route_tuner, 'time_candidates', counted)
    backbones = [MODELS.build(dict(
        type='STGCN', channels=(16, 16), strides=(1, 1),
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d'), routes=routes))
        for routes in ({}, {'weight_grad': 'onednn'})]
    backbones[1].load_state_dict(backbones[0].state_dict())
    x = torch.randn(1, 3, 12, 25, 1)
    for _ in range(2):  # alternating: each measured once, then kept
        for backbone in backbones:
            backbone(x).sum().backward()
    assert timed == [2, 2]
    keys = [key for key in json.load(open(cache_file()))
            if key.startswith('STGCN-')]
    assert len(keys) == 2
    assert sum(key.endswith(' forced=weight_grad=onednn') for key in keys) == 1
