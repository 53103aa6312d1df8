"""Training and inference throughput, memory and MFU of ST-GCN variants.

All variants (see :mod:`.model_variants`) run in one process on the same
input, interleaved: after the warm-up, every repeat times each variant
once, in an order rotated per repeat, so that a slow spell of a shared
machine hits all of them alike. Results are the median over repeats with
the min and max. Peak training memory is measured in a fresh process per
variant (CPU: peak RSS over the steps minus the RSS before them; CUDA:
``torch.cuda.max_memory_allocated``).
"""
import contextlib
import ctypes
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F

from stgcn_reg.cli.amp_policy import cpu_model, reported_flags
from stgcn_reg.models.backbones.st_gcn import DEFAULT_STRIDES as STRIDES

from .data_benchmark import run_in_fresh_process
from .model_flops import counted_flops, matmul_peak, stgcn_forward_flops
from .model_variants import (
    PEERS,
    PRESETS,
    Variant,
    VariantUnavailable,
    build_variant,
)

CLOCKS: Dict[str, Callable[[], float]] = dict(wall=time.perf_counter,
                                              cpu=time.process_time)
# goals of the performance issue: (train, infer) speed-up of ours over
# the best peer in fp32, per preset
SPEEDUP_GOALS = dict(ntu=(1.5, 1.3), kinetics=(1.0, 1.0), demo=(1.0, 1.0))
CP_MEMORY_GOAL, CP_TIME_GOAL = 0.40, 0.30


@dataclass
class Settings:
    """What to run. ``amp``: None, ``'bf16'`` or ``'fp16'`` autocast."""

    preset: str = 'ntu'
    variants: Sequence[str] = ('ours', 'plain', 'mmaction2')
    batch: Optional[int] = None
    frames: Optional[int] = None
    repeats: int = 5
    warmup: int = 1
    threads: Optional[int] = None
    clock: str = 'wall'
    amp: Optional[str] = None
    device: str = 'cpu'
    memory: bool = True
    flops_check: bool = True
    seed: int = 0


def preset_of(settings: Settings) -> Dict[str, Any]:
    """The preset with the settings' batch and frame overrides."""
    if settings.preset not in PRESETS:
        raise ValueError(f'unknown preset {settings.preset!r}; choose from '
                         f'{", ".join(PRESETS)}')
    preset = dict(PRESETS[settings.preset])
    preset['batch'] = settings.batch or preset['batch']
    preset['frames'] = settings.frames or preset['frames']
    return preset


def environment(device: torch.device) -> Dict[str, Any]:
    """Machine, flags, versions and threads, printed with every result."""
    affinity = getattr(os, 'sched_getaffinity', None)
    info: Dict[str, Any] = dict(
        cpu_model=cpu_model(), cpu_flags=reported_flags(),
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


class _Bench:
    """One variant's model, optimizer, input and timed steps."""

    def __init__(self, variant: Variant, x: torch.Tensor,
                 labels: torch.Tensor, amp: Optional[torch.dtype]) -> None:
        self.variant = variant
        self.inputs = variant.prepare(x)
        self.labels = labels
        self.device = x.device
        self.amp = amp
        self.optimizer = torch.optim.SGD(
            variant.model.parameters(), lr=0.01, momentum=0.9,
            nesterov=True, weight_decay=1e-4)

    def _autocast(self) -> contextlib.AbstractContextManager:
        if self.amp is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp)

    def _sync(self) -> None:
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)

    def train_step(self) -> None:
        """Forward, cross-entropy, backward, SGD step."""
        model = self.variant.model.train()
        self.optimizer.zero_grad(set_to_none=True)
        with self._autocast():
            logits = self.variant.forward(model, self.inputs)
            loss = F.cross_entropy(logits.float(), self.labels)
        loss.backward()
        self.optimizer.step()
        self._sync()

    def infer_step(self) -> None:
        """Eval-mode forward without gradients."""
        model = self.variant.model.eval()
        with torch.no_grad(), self._autocast():
            self.variant.forward(model, self.inputs)
        self._sync()


def make_input(preset: Dict[str, Any], device: torch.device,
               seed: int) -> torch.Tensor:
    """Random skeletons ``(N, 3, T, V, M)`` and labels of the preset."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(preset['batch'], 3, preset['frames'],
                    preset['num_nodes'], preset['persons'],
                    generator=generator)
    labels = torch.randint(0, preset['num_classes'], (preset['batch'], ),
                           generator=generator)
    return x.to(device), labels.to(device)


def _summary(times: List[float], batch: int) -> Dict[str, Any]:
    rates = sorted(batch / t for t in times)
    median = statistics.median(rates)
    return dict(samples_per_s=round(median, 3), min=round(rates[0], 3),
                max=round(rates[-1], 3),
                spread_pct=round(100 * (rates[-1] - rates[0]) / median, 1),
                seconds=[round(t, 4) for t in times])


def time_interleaved(benches: Dict[str, _Bench], settings: Settings,
                     batch: int) -> Dict[str, Dict[str, Any]]:
    """Median samples/s of each variant's train and inference steps."""
    clock = CLOCKS[settings.clock]
    names = list(benches)
    times: Dict[str, Dict[str, List[float]]] = {
        name: dict(train=[], infer=[]) for name in names}
    for _ in range(settings.warmup):
        for name in names:
            benches[name].train_step()
            benches[name].infer_step()
    for repeat in range(settings.repeats):
        order = names[repeat % len(names):] + names[:repeat % len(names)]
        for phase in ('train', 'infer'):
            for name in order:
                step = getattr(benches[name], f'{phase}_step')
                start = clock()
                step()
                times[name][phase].append(clock() - start)
    return {name: {phase: _summary(times[name][phase], batch)
                   for phase in ('train', 'infer')} for name in names}


def _rss_mb(field: str) -> float:
    with open('/proc/self/status') as file:
        line = next(x for x in file if x.startswith(f'{field}:'))
    return int(line.split()[1]) / 1024


def measure_train_memory(settings_dict: Dict[str, Any], name: str,
                         steps: int = 2) -> Dict[str, Any]:
    """Peak memory of ``steps`` training steps of one variant (MiB).

    On CPU the peak RSS (``VmHWM``, reset through ``clear_refs`` first)
    minus the RSS before the steps; meant to run in a fresh process. On
    CUDA the peak of ``torch.cuda.max_memory_allocated`` over the steps
    minus what was allocated before.
    """
    settings = Settings(**settings_dict)
    if settings.threads:
        torch.set_num_threads(settings.threads)
    device = torch.device(settings.device)
    preset = preset_of(settings)
    x, labels = make_input(preset, device, settings.seed)
    bench = _Bench(build_variant(name, preset, device), x, labels,
                   _amp_dtype(settings.amp))
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        for _ in range(steps):
            bench.train_step()
        peak = torch.cuda.max_memory_allocated(device) - before
        return dict(peak_train_mb=round(peak / 2**20, 1),
                    kind='cuda_max_memory_allocated')
    _exact_rss()
    before = _rss_mb('VmRSS')
    try:
        with open('/proc/self/clear_refs', 'w') as file:
            file.write('5')  # VmHWM := current RSS
        kind = 'rss_peak_minus_start'
    except OSError:
        kind = 'rss_peak_minus_start (peak not reset)'
    for _ in range(steps):
        bench.train_step()
    return dict(peak_train_mb=round(_rss_mb('VmHWM') - before, 1),
                kind=kind)


def _exact_rss() -> None:
    """Make glibc return every large block to the system when freed.

    By default glibc raises its mmap threshold after large frees and then
    keeps such blocks in its heap, so the RSS peak would count freed
    memory too; with a fixed 64 KiB threshold it follows the live tensors.
    """
    try:
        libc = ctypes.CDLL('libc.so.6')
        libc.mallopt(-3, 64 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _amp_dtype(amp: Optional[str]) -> Optional[torch.dtype]:
    return dict(bf16=torch.bfloat16, fp16=torch.float16).get(amp or '')


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


def _goals(results: Dict[str, Any], settings: Settings) -> Dict[str, Any]:
    variants = results['variants']
    goals: Dict[str, Any] = {}
    peers = [name for name in PEERS if name in variants]
    if 'ours' in variants and peers:
        want_train, want_infer = SPEEDUP_GOALS[settings.preset]
        for phase, want in (('train', want_train), ('infer', want_infer)):
            best = max(peers,
                       key=lambda p: variants[p][phase]['samples_per_s'])
            ratio = (variants['ours'][phase]['samples_per_s'] /
                     variants[best][phase]['samples_per_s'])
            goals[f'{phase}_speedup_vs_best_peer'] = dict(
                best_peer=best, ratio=round(ratio, 3), goal=want,
                met=bool(ratio >= want) if settings.amp is None else None)
    if 'ours' in variants and 'ours_cp' in variants:
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
            achieved = per_sample * entry[phase]['samples_per_s']
            entry[phase]['mfu'] = round(achieved / peak[peak_dtype], 4)
        variants[name] = entry
    if settings.memory:
        for name in benches:
            if name == 'ours_compile':
                continue  # compiling again in a fresh process takes minutes
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
