"""--amp picks bf16 only where the CPU has fast bf16, and says why."""
import pytest
from mmengine.config import Config

from stgcn_reg.cli.amp_policy import (
    choose_amp_dtype,
    cpu_flags,
    reported_flags,
)
from stgcn_reg.cli.speed_options import apply_amp, set_backbone_option

SKYLAKE = {'avx2', 'avx512f', 'avx512bw'}
SAPPHIRE_RAPIDS = SKYLAKE | {'avx512_bf16', 'amx_bf16', 'amx_tile'}
COOPER_LAKE = SKYLAKE | {'avx512_bf16'}


@pytest.mark.parametrize('flags,dtype', [
    (SAPPHIRE_RAPIDS, 'bfloat16'), (COOPER_LAKE, 'bfloat16'),
    (SKYLAKE, None), (set(), None)])
def test_auto_on_cpu_follows_the_flags(flags, dtype):
    chosen, message = choose_amp_dtype('cpu', 'auto', flags)
    assert chosen == dtype
    if dtype is None:
        assert 'no fast bfloat16' in message and 'fp32' in message
        assert '--amp-dtype bf16' in message
    else:
        assert 'bfloat16' in message and 'avx512_bf16' in message


def test_inference_without_fast_bf16_points_to_int8():
    _, message = choose_amp_dtype('cpu', 'auto', SKYLAKE, what='inference')
    assert 'inference stays in fp32' in message
    assert 'tools/export_onnx.py CONFIG CHECKPOINT --out m.onnx --int8' \
        in message
    assert '--int8' not in choose_amp_dtype('cpu', 'auto', SKYLAKE)[1]


def test_cuda_and_forced_dtypes():
    assert choose_amp_dtype('cuda', 'auto', set())[0] == 'float16'
    assert choose_amp_dtype('cuda', 'bf16', set())[0] == 'bfloat16'
    assert choose_amp_dtype('cpu', 'bf16', SKYLAKE)[0] == 'bfloat16'
    assert choose_amp_dtype('cpu', 'fp16', SKYLAKE)[0] == 'float16'
    with pytest.raises(ValueError, match='amp-dtype'):
        choose_amp_dtype('cpu', 'int8', SKYLAKE)


def test_flags_are_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / 'cpuinfo'
    cpuinfo.write_text('processor\t: 0\nmodel name\t: Test CPU\n'
                       'flags\t\t: fpu avx2 avx512f amx_bf16\n')
    flags = cpu_flags(str(cpuinfo))
    assert {'avx2', 'avx512f', 'amx_bf16'} <= flags
    assert reported_flags(flags) == dict(
        avx2=True, avx512f=True, avx512_bf16=False, amx_bf16=True,
        amx_tile=False)
    assert cpu_flags(str(tmp_path / 'missing')) == set()


def _config() -> Config:
    return Config(dict(
        optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='SGD')),
        model=dict(type='TwoStreamRecognizer',
                   backbone=dict(type='STGCN', graph_cfg=dict()),
                   cls_head=dict(type='ClsHead', num_classes=3))))


def test_apply_amp_changes_the_wrapper_only_when_it_pays():
    cfg = _config()
    message = apply_amp(cfg, 'cpu', 'auto', SKYLAKE)
    assert cfg.optim_wrapper.type == 'OptimWrapper' and 'fp32' in message
    apply_amp(cfg, 'cpu', 'auto', SAPPHIRE_RAPIDS)
    assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'
    cfg = _config()
    apply_amp(cfg, 'cuda', 'bf16', set())
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'


def test_backbone_options_reach_every_stgcn():
    cfg = _config()
    assert set_backbone_option(cfg, 'compile', True) == 1
    assert cfg.model.backbone.compile is True
    cfg.model = dict(type='SkeletonRecognizer', backbone=dict(type='Other'))
    with pytest.raises(ValueError, match='no STGCN backbone'):
        set_backbone_option(cfg, 'compile', True)
