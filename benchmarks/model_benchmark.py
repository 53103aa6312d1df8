"""Training and inference throughput, memory and MFU of ST-GCN variants.

All variants (see :mod:`.model_variants`) run in one process on the same
input, interleaved: after the warm-up, every repeat times each variant
once, in an order rotated per repeat, so that a slow spell of a shared
machine hits all of them alike. Results are the median over repeats with
the min and max. Peak training memory is measured in a fresh process per
variant (CPU: peak RSS over the steps minus the RSS before them; CUDA:
``torch.cuda.max_memory_allocated``).

The timing loop is in :mod:`.model_timing`, the memory runs in
:mod:`.model_memory`; this module puts them together with the FLOPs, MFU
and goals.
"""
import os
import platform
import time
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional

import torch

from stgcn_reg.cli.amp_policy import cpu_model, reported_flags
from stgcn_reg.models.backbones.st_gcn import DEFAULT_STRIDES as STRIDES
from stgcn_reg.utils.cpu_info import cpu_generation

from .model_flops import counted_flops, matmul_peak, stgcn_forward_flops
from .model_memory import measure_train_memory
from .model_timing import (
    CLOCKS,
    Settings,
    _amp_dtype,
    _Bench,
    make_input,
    preset_of,
    time_interleaved,
)
from .model_variants import PEERS, VariantUnavailable, build_variant
from .processes import run_in_fresh_process

__all__ = [
    'CLOCKS',
    'Settings',
    'environment',
    'make_input',
    'measure_train_memory',
    'preset_of',
    'run_model_benchmark',
    'time_interleaved',
]

# goals of the performance issue: (train, infer) speed-up of ours over
# the best peer in fp32, per preset
SPEEDUP_GOALS = dict(ntu=(1.5, 1.3), kinetics=(1.0, 1.0), demo=(1.0, 1.0))
CP_MEMORY_GOAL, CP_TIME_GOAL = 0.40, 0.30


def environment(device: torch.device) -> Dict[str, Any]:
    """Machine, flags, versions and threads, printed with every result."""
    affinity = getattr(os, 'sched_getaffinity', None)
    info: Dict[str, Any] = dict(
        cpu_model=cpu_model(), cpu_generation=cpu_generation(),
        cpu_flags=reported_flags(),
        cpu_count=os.cpu_count(),
        usable_cpus=len(affinity(0)) if affinity else os.cpu_count(),
        torch_threads=torch.get_num_threads(), torch=torch.__version__,
        python=platform.python_version(), device=str(device),
        date=datetime.now(timezone.utc).isoformat(timespec='seconds'))
    if device.type == 'cuda':
        info['cuda_device'] = torch.cuda.get_device_name(device)
    try:
        import mmaction
        info['mmaction2'] = mmaction.__version__
    except ImportError:
        info['mmaction2'] = None
    return info


def _flops(preset: Dict[str, Any], benches: Dict[str, _Bench],
           check: bool) -> Dict[str, Any]:
    analytic = stgcn_forward_flops(
        preset['channels'], STRIDES, preset['num_nodes'], 3,
        preset['frames'], preset['persons'], preset['num_classes'])
    flops: Dict[str, Any] = dict(forward_per_sample=analytic['total'],
                                 by_layer=analytic,
                                 train_per_sample=3 * analytic['total'])
    if check:
        counted = {}
        for name, bench in benches.items():
            if name in ('ours', 'plain', 'mmaction2'):
                one = bench.inputs[:1]
                counted[name] = counted_flops(bench.variant.model, one,
                                              bench.variant.forward)
        flops['flop_counter_per_sample'] = counted
    return flops


def _speed_goal_applies(settings: Settings) -> bool:
    """fp32, or bf16 autocast on a CPU with bf16 in hardware (the same
    goals hold there); not fp16 on CPU, emulated bf16 or CUDA AMP."""
    if settings.amp is None:
        return True
    from stgcn_reg.cli.amp_policy import has_fast_bf16
    return (settings.device == 'cpu' and settings.amp == 'bf16'
            and has_fast_bf16())


def _mfu_needed(ours: Dict[str, Any], peer: Dict[str, Any],
                goal: float) -> Dict[str, float]:
    """The MFU ours has and the MFU the goal asks of it (goal x the
    peer's): above 1 no route of the same FLOPs can meet the goal on this
    machine, whatever the code."""
    return dict(mfu=ours['mfu'], mfu_needed=round(goal * peer['mfu'], 4))


def _goals(results: Dict[str, Any], settings: Settings) -> Dict[str, Any]:
    variants = results['variants']
    goals: Dict[str, Any] = {}
    peers = [name for name in PEERS if name in variants]
    if 'ours' in variants and peers:
        want_train, want_infer = SPEEDUP_GOALS[settings.preset]
        for phase, want in (('train', want_train), ('infer', want_infer)):
            if variants['ours'][phase] is None:
                continue  # an inference-only run
            best = max(peers,
                       key=lambda p: variants[p][phase]['samples_per_s'])
            ratio = (variants['ours'][phase]['samples_per_s'] /
                     variants[best][phase]['samples_per_s'])
            goals[f'{phase}_speedup_vs_best_peer'] = dict(
                best_peer=best, ratio=round(ratio, 3), goal=want,
                met=bool(ratio >= want) if _speed_goal_applies(settings)
                else None, **_mfu_needed(variants['ours'][phase],
                                         variants[best][phase], want))
    goals.update(onnx_comparisons(variants))
    path = fastest_infer_path(variants, settings)
    if path:
        goals['infer_path_vs_mmaction2'] = path
    if ('ours' in variants and 'ours_cp' in variants
            and variants['ours']['train'] is not None):
        ours, cp = variants['ours'], variants['ours_cp']
        extra_time = (ours['train']['samples_per_s'] /
                      cp['train']['samples_per_s'] - 1)
        cp_goal: Dict[str, Any] = dict(extra_time=round(extra_time, 3))
        if ours.get('memory') and cp.get('memory'):
            saved = 1 - (cp['memory']['peak_train_mb'] /
                         ours['memory']['peak_train_mb'])
            cp_goal['memory_saved'] = round(saved, 3)
            # the goal is set at the NTU shape only
            cp_goal['met'] = bool(
                saved >= CP_MEMORY_GOAL and extra_time <= CP_TIME_GOAL
            ) if settings.preset == 'ntu' else None
        goals['with_cp'] = cp_goal
    return goals


# what tools/infer.py can run: ours eager (fp32, or --amp) and ONNX Runtime
# (float32, or int8 from tools/export_onnx.py --int8)
INFER_PATHS = ('ours', 'ours_amp', 'onnxruntime', 'onnxruntime_int8')
INFER_PATH_GOAL = 2.0  # x MMAction2's eager fp32 inference


def fastest_infer_path(variants: Dict[str, Any],
                       settings: Settings) -> Optional[Dict[str, Any]]:
    """The fastest tools/infer.py path measured, over MMAction2's eager
    fp32 inference (None unless both ran without ``--amp`` at the NTU
    shape, where the goal is set)."""
    paths = [name for name in INFER_PATHS if name in variants]
    if (settings.amp is not None or settings.preset != 'ntu'
            or 'mmaction2' not in variants or not paths):
        return None
    best = max(paths, key=lambda p: variants[p]['infer']['samples_per_s'])
    ratio = (variants[best]['infer']['samples_per_s'] /
             variants['mmaction2']['infer']['samples_per_s'])
    return dict(path=best, ratio=round(ratio, 3), goal=INFER_PATH_GOAL,
                met=bool(ratio >= INFER_PATH_GOAL),
                **_mfu_needed(variants[best]['infer'],
                              variants['mmaction2']['infer'],
                              INFER_PATH_GOAL))


def onnx_comparisons(variants: Dict[str, Any]) -> Dict[str, Any]:
    """Inference speed ratios of ONNX Runtime: to MMAction2 eager and
    ours, and the free-axis export to the fixed-shape one (no goals)."""
    def ratio(name: str, other: str) -> Any:
        if name not in variants or other not in variants:
            return None
        return round(variants[name]['infer']['samples_per_s'] /
                     variants[other]['infer']['samples_per_s'], 3)

    pairs = dict(onnxruntime_vs_mmaction2=('onnxruntime', 'mmaction2'),
                 onnxruntime_vs_ours=('onnxruntime', 'ours'),
                 onnxruntime_dynamic_vs_static=('onnxruntime',
                                                'onnxruntime_static'),
                 onnxruntime_layered_vs_fused=('onnxruntime',
                                               'onnxruntime_fused'),
                 int8_vs_mmaction2=('onnxruntime_int8', 'mmaction2'),
                 int8_vs_float32=('onnxruntime_int8', 'onnxruntime'))
    found = {key: ratio(*pair) for key, pair in pairs.items()}
    found = {key: value for key, value in found.items() if value is not None}
    return {'onnxruntime_infer': found} if found else {}


def run_model_benchmark(settings: Settings,
                        log: Callable[[str], None] = print
                        ) -> Dict[str, Any]:
    """Build the variants, time them interleaved, add memory, FLOPs, MFU.

    Variants that cannot be built (e.g. MMAction2 not installed) are
    skipped with their reason in ``skipped``.
    """
    if settings.clock not in CLOCKS:
        raise ValueError(f'clock must be one of {list(CLOCKS)}')
    if settings.threads:
        torch.set_num_threads(settings.threads)
    device = torch.device(settings.device)
    preset = preset_of(settings)
    torch.manual_seed(settings.seed)
    x, labels = make_input(preset, device, settings.seed)
    amp = _amp_dtype(settings.amp)
    benches: Dict[str, _Bench] = {}
    skipped: Dict[str, str] = {}
    for name in settings.variants:
        try:
            benches[name] = _Bench(build_variant(name, preset, device), x,
                                   labels, amp)
        except VariantUnavailable as error:
            skipped[name] = str(error)
            log(f'skipping {name}: {error}')
    clock = CLOCKS[settings.clock]
    peak = dict(float32=matmul_peak(torch.float32, device, clock))
    if amp is not None:
        peak[str(amp).replace('torch.', '')] = matmul_peak(amp, device, clock)
    log(f'timing {", ".join(benches)} ({settings.repeats} repeats, '
        f'{settings.clock} clock) ...')
    start = time.perf_counter()
    timings = time_interleaved(benches, settings, preset['batch'])
    wall = time.perf_counter() - start
    # a second peak measurement after the timings: keep the better one
    peak['float32'] = max(peak['float32'],
                          matmul_peak(torch.float32, device, clock))
    flops = _flops(preset, benches, settings.flops_check)
    peak_dtype = 'float32' if amp is None else str(amp).replace('torch.', '')
    variants: Dict[str, Any] = {}
    for name, bench in benches.items():
        entry = dict(params=bench.variant.parameters(), **timings[name])
        for phase, per_sample in (('train', flops['train_per_sample']),
                                  ('infer', flops['forward_per_sample'])):
            if entry[phase] is None:
                continue
            achieved = per_sample * entry[phase]['samples_per_s']
            entry[phase]['mfu'] = round(achieved / peak[peak_dtype], 4)
        variants[name] = entry
    if settings.memory and settings.train:
        for name in benches:
            if name == 'ours_compile':
                continue  # compiling again in a fresh process takes minutes
            if benches[name].variant.inference_only:
                continue
            log(f'peak training memory of {name} (fresh process) ...')
            memory = (measure_train_memory(asdict(settings), name)
                      if device.type == 'cuda' else run_in_fresh_process(
                          measure_train_memory, asdict(settings), name))
            variants[name]['memory'] = memory
    results = dict(
        environment=environment(device),
        settings=dict(asdict(settings), variants=list(settings.variants),
                      batch=preset['batch'], frames=preset['frames']),
        preset=preset, input_shape=list(x.shape),
        matmul_peak_flops=peak, peak_dtype=peak_dtype, flops=flops,
        variants=variants, skipped=skipped,
        timing_wall_s=round(wall, 1))
    results['goals'] = _goals(results, settings)
    return results
