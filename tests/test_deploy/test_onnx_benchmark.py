"""The ONNX Runtime variants of the model benchmark: inference-only rows,
the ratios to MMAction2 / ours / the fixed-shape export, the report."""
import pytest

from benchmarks.model_benchmark import Settings, run_model_benchmark
from benchmarks.model_report import format_model_report

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

TINY = dict(preset='demo', frames=8, batch=2, repeats=2, warmup=1,
            threads=1, memory=False)


def test_onnxruntime_variants_time_inference_only():
    settings = Settings(variants=('ours', 'onnxruntime',
                                  'onnxruntime_static'), **TINY)
    results = run_model_benchmark(settings, log=lambda message: None)
    variants = results['variants']
    assert variants['ours']['train']['samples_per_s'] > 0
    for name in ('onnxruntime', 'onnxruntime_static'):
        assert variants[name]['train'] is None
        assert len(variants[name]['infer']['seconds']) == 2
        assert variants[name]['params'] == variants['ours']['params']
    ratios = results['goals']['onnxruntime_infer']
    assert set(ratios) == {'onnxruntime_vs_ours',
                           'onnxruntime_dynamic_vs_static'}
    report = format_model_report(results)
    assert '| onnxruntime | 213,388 | - | - |' in report
    assert 'onnxruntime (N, T, M free) / onnxruntime_static' in report


def test_an_inference_only_run_with_int8():
    settings = Settings(variants=('ours', 'onnxruntime', 'onnxruntime_fused',
                                  'onnxruntime_int8'),
                        train=False, **TINY)
    results = run_model_benchmark(settings, log=lambda message: None)
    assert all(entry['train'] is None
               for entry in results['variants'].values())
    assert results['variants']['onnxruntime_int8']['infer'][
        'samples_per_s'] > 0
    assert 'int8_vs_float32' in results['goals']['onnxruntime_infer']
    assert 'train_speedup_vs_best_peer' not in results['goals']
    report = format_model_report(results)
    assert 'inference only' in report
    assert 'onnxruntime_int8 / onnxruntime (float32) = ' in report
