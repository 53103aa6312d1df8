"""The model benchmark: FLOP counts, variants, the interleaved run, the
report and the tool. No timing thresholds: only that every number was
measured and the variants are the same model."""
import json

import pytest
import torch
from tool_runner import run_tool, tool

from benchmarks.data_benchmark import run_in_fresh_process
from benchmarks.model_benchmark import (
    Settings,
    fastest_infer_path,
    measure_train_memory,
    run_model_benchmark,
)
from benchmarks.model_flops import (
    counted_flops,
    matmul_peak,
    stgcn_forward_flops,
)
from benchmarks.model_report import format_model_report, peak_share
from benchmarks.model_variants import PRESETS, build_variant
from stgcn_reg.models.backbones.st_gcn import DEFAULT_STRIDES

TINY = dict(preset='demo', frames=8, batch=2, repeats=2, warmup=1,
            threads=1, memory=False)


def test_analytic_flops_of_the_paper_shapes():
    ntu = PRESETS['ntu']
    flops = stgcn_forward_flops(ntu['channels'], DEFAULT_STRIDES, 25, 3,
                                300, 2, 60)
    assert flops['total'] / 1e9 == pytest.approx(34.2, abs=0.05)
    assert flops['temporal_conv'] > 0.7 * flops['total']
    kinetics = stgcn_forward_flops(ntu['channels'], DEFAULT_STRIDES, 18, 3,
                                   150, 2, 400)
    assert kinetics['total'] / 1e9 == pytest.approx(12.2, abs=0.05)


@pytest.mark.parametrize('name', ['plain', 'mmaction2'])
def test_flop_counter_agrees_with_the_layer_count(name):
    preset = dict(PRESETS['demo'], frames=12)
    try:
        variant = build_variant(name, preset)
    except RuntimeError as error:  # MMAction2 not installed
        pytest.skip(str(error))
    x = variant.prepare(torch.randn(1, 3, 12, 25, 2))
    counted = counted_flops(variant.model, x, variant.forward)
    analytic = stgcn_forward_flops(preset['channels'], DEFAULT_STRIDES, 25,
                                   3, 12, 2, preset['num_classes'])
    assert counted == analytic['total']


def test_variants_are_the_same_model():
    preset = dict(PRESETS['demo'], frames=8)
    counts = {name: build_variant(name, preset).parameters()
              for name in ('ours', 'ours_layered', 'ours_cp', 'plain')}
    assert set(counts.values()) == {213_388}
    with pytest.raises(ValueError, match='unknown variant'):
        build_variant('fastest', preset)


def test_matmul_peak_is_measured():
    assert matmul_peak(torch.float32, torch.device('cpu'), size=128,
                       repeats=2, min_seconds=0.01) > 1e6


def test_interleaved_run_and_report():
    settings = Settings(variants=('ours', 'ours_cp', 'ours_amp', 'plain',
                                  'mmaction2'), **TINY)
    results = run_model_benchmark(settings, log=lambda message: None)
    variants = results['variants']
    assert {'ours', 'ours_cp', 'plain'} <= set(variants)
    assert set(variants) | set(results['skipped']) == set(
        settings.variants)
    for entry in variants.values():
        assert entry['params'] == 213_388
        for phase in ('train', 'infer'):
            assert len(entry[phase]['seconds']) == 2
            assert entry[phase]['min'] <= entry[phase]['samples_per_s'] \
                <= entry[phase]['max']
            assert 0 < entry[phase]['mfu']
    env = results['environment']
    assert env['cpu_model'] and 'avx512_bf16' in env['cpu_flags']
    assert env['torch_threads'] == 1 and env['torch'] == torch.__version__
    assert results['matmul_peak_flops']['float32'] > 0
    counted = results['flops']['flop_counter_per_sample']
    assert counted['plain'] == results['flops']['forward_per_sample']
    goals = results['goals']
    train = goals['train_speedup_vs_best_peer']
    assert train['goal'] == 1.0 and train['mfu'] == variants['ours'][
        'train']['mfu']
    # the MFU ours would need: the goal times the best peer's
    assert train['mfu_needed'] == pytest.approx(
        variants[train['best_peer']]['train']['mfu'], abs=1e-4)
    assert 'extra_time' in goals['with_cp']
    # ours_amp runs where --amp picks bf16, else it says why not
    assert ('ours_amp' in variants) != (
        'no fast bfloat16' in results['skipped'].get('ours_amp', ''))
    assert 'infer_path_vs_mmaction2' not in goals  # set at the NTU shape
    rates = dict(ours=3.0, ours_amp=9.0, onnxruntime=4.0, mmaction2=4.0)
    measured = {name: dict(infer=dict(samples_per_s=rate, mfu=rate / 10))
                for name, rate in rates.items()}
    path = fastest_infer_path(measured, Settings(preset='ntu'))
    assert path == dict(path='ours_amp', ratio=2.25, goal=2.0, met=True,
                        mfu=0.9, mfu_needed=0.8)
    measured['ours_amp']['infer'].update(samples_per_s=6.0, mfu=0.6)
    slow = fastest_infer_path(measured, Settings(preset='ntu'))
    assert slow['met'] is False and peak_share(slow) == (
        ', needs 80% of the measured matmul peak (60% now)')
    assert peak_share(path) == ''
    assert fastest_infer_path(measured, Settings(preset='ntu',
                                                 amp='bf16')) is None
    report = format_model_report(results)
    assert '| ours |' in report and 'MFU' in report and 'avx512f' in report
    with pytest.raises(ValueError, match='unknown preset'):
        run_model_benchmark(Settings(preset='huge'))


def test_train_memory_is_measured():
    # in a fresh process, as the benchmark does: it changes malloc settings
    memory = run_in_fresh_process(measure_train_memory,
                                  dict(TINY, variants=('ours', )), 'ours', 1)
    assert memory['peak_train_mb'] >= 0
    assert memory['kind'].startswith('rss_peak_minus_start')


@pytest.mark.slow
def test_model_benchmark_tool(tmp_path):
    out = tmp_path / 'model.json'
    output = run_tool(tool('benchmark.py'), 'model', '--preset', 'demo',
                      '--frames', '8', '--batch', '2', '--repeats', '1',
                      '--threads', '1', '--variants', 'ours,ours_cp,plain',
                      '--out', str(out), cwd=str(tmp_path))
    assert 'train samples/s' in output and 'with_cp' in output
    results = json.loads(out.read_text())
    for name in ('ours', 'ours_cp', 'plain'):
        assert results['variants'][name]['memory']['peak_train_mb'] > 0
    assert (tmp_path / 'model.md').read_text().startswith('## ST-GCN')
    bad = run_tool(tool('benchmark.py'), 'model', '--batch', '0',
                   cwd=str(tmp_path), expect_rc=1)
    assert '--batch must be >= 1' in bad
