"""What a model benchmark runs (:class:`Settings`) and its timing loop
(:func:`time_interleaved`: the variants interleaved, as
:mod:`.model_benchmark` describes; median, min and max over repeats)."""
import contextlib
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F

from .model_variants import PRESETS, Variant

CLOCKS: Dict[str, Callable[[], float]] = dict(wall=time.perf_counter,
                                              cpu=time.process_time)


@dataclass
class Settings:
    """What to run. ``amp``: None, ``'bf16'`` or ``'fp16'`` autocast;
    ``train=False`` times inference only."""

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
    train: bool = True


def preset_of(settings: Settings) -> Dict[str, Any]:
    """The preset with the settings' batch and frame overrides."""
    if settings.preset not in PRESETS:
        raise ValueError(f'unknown preset {settings.preset!r}; choose from '
                         f'{", ".join(PRESETS)}')
    preset = dict(PRESETS[settings.preset])
    preset['batch'] = settings.batch or preset['batch']
    preset['frames'] = settings.frames or preset['frames']
    return preset


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


def _summary(times: List[float], batch: int) -> Optional[Dict[str, Any]]:
    if not times:
        return None  # a phase not run (inference-only variant or run)
    rates = sorted(batch / t for t in times)
    median = statistics.median(rates)
    return dict(samples_per_s=round(median, 3), min=round(rates[0], 3),
                max=round(rates[-1], 3),
                spread_pct=round(100 * (rates[-1] - rates[0]) / median, 1),
                seconds=[round(t, 4) for t in times])


def phases_of(bench: _Bench, settings: Settings) -> List[str]:
    """The steps a variant runs: ``infer``, after ``train`` if it trains."""
    trains = settings.train and not bench.variant.inference_only
    return ['train', 'infer'] if trains else ['infer']


def time_interleaved(benches: Dict[str, _Bench], settings: Settings,
                     batch: int) -> Dict[str, Dict[str, Any]]:
    """Median samples/s of each variant's train and inference steps
    (``train`` None where a variant or the run does not train)."""
    clock = CLOCKS[settings.clock]
    names = list(benches)
    times: Dict[str, Dict[str, List[float]]] = {
        name: dict(train=[], infer=[]) for name in names}
    for _ in range(settings.warmup):
        for name in names:
            for phase in phases_of(benches[name], settings):
                getattr(benches[name], f'{phase}_step')()
    for repeat in range(settings.repeats):
        order = names[repeat % len(names):] + names[:repeat % len(names)]
        for phase in ('train', 'infer'):
            for name in order:
                if phase not in phases_of(benches[name], settings):
                    continue
                step = getattr(benches[name], f'{phase}_step')
                start = clock()
                step()
                times[name][phase].append(clock() - start)
    return {name: {phase: _summary(times[name][phase], batch)
                   for phase in ('train', 'infer')} for name in names}


def _amp_dtype(amp: Optional[str]) -> Optional[torch.dtype]:
    return dict(bf16=torch.bfloat16, fp16=torch.float16).get(amp or '')
