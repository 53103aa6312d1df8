"""The models the benchmark compares, built for one preset.

- ``ours``: ``SkeletonRecognizer`` + ``STGCN`` as configs build it
  (channels-last, fused graph conv, BN folded in eval mode).
- ``ours_layered``: the same with ``channels_last=False`` (layer by
  layer, contiguous tensors), to show what the fused layout gives.
- ``ours_cp``: ``with_cp=True`` (gradient checkpointing per block).
- ``ours_compile``: ``compile=True`` (``torch.compile`` of the blocks).
- ``ours_amp``: ``ours`` under the autocast that ``--amp`` of
  tools/train.py and tools/infer.py picks here (bf16 on a CPU with
  AVX512-BF16 or AMX; skipped where ``--amp`` stays fp32).
- ``plain``: :class:`PlainSTGCN`, the equations written plainly.
- ``mmaction2``: MMAction2's ``STGCN`` + ``GCNHead`` when installed.
- ``onnxruntime``, ``onnxruntime_static``, ``onnxruntime_fused``,
  ``onnxruntime_int8``: ``ours`` exported to ONNX (the last quantised to
  int8) and run in ONNX Runtime, inference only (see
  :mod:`.model_onnx`; skipped without onnxruntime).

All get the same graph, widths, dropout and classes, hence the same
parameter count and FLOPs.
"""
import logging
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

import torch
from mmengine.logging import MMLogger
from torch import nn

from stgcn_reg.models.backbones.st_gcn import DEFAULT_CHANNELS, DEFAULT_STRIDES

from . import references
from .model_onnx import ONNX_VARIANTS, as_numpy, onnx_session, run_session
from .references import PlainSTGCN

# model and input per preset; dropout as the shipped configs use it
PRESETS: Dict[str, Dict[str, Any]] = dict(
    ntu=dict(layout='ntu-rgb+d', mm_layout='nturgb+d', num_classes=60,
             frames=300, num_nodes=25, persons=2, dropout=0.5,
             channels=DEFAULT_CHANNELS, batch=4,
             config='configs/stgcn_ntu_xsub.py'),
    kinetics=dict(layout='openpose', mm_layout='openpose', num_classes=400,
                  frames=150, num_nodes=18, persons=2, dropout=0.0,
                  channels=DEFAULT_CHANNELS, batch=4,
                  config='configs/stgcn_kinetics.py'),
    demo=dict(layout='ntu-rgb+d', mm_layout='nturgb+d', num_classes=8,
              frames=64, num_nodes=25, persons=2, dropout=0.1,
              channels=(16, 16, 16, 16, 32, 32, 32, 64, 64, 64), batch=16,
              config='configs/stgcn_demo.py'),
)
VARIANTS = ('ours', 'ours_layered', 'ours_cp', 'ours_compile', 'ours_amp',
            'plain', 'mmaction2') + tuple(ONNX_VARIANTS)
PEERS = ('plain', 'mmaction2')


class VariantUnavailable(RuntimeError):
    """A variant cannot be built here (e.g. MMAction2 not installed)."""


@dataclass
class Variant:
    """A model and how to feed it skeletons ``(N, C, T, V, M)``."""

    name: str
    model: nn.Module
    prepare: Callable[[torch.Tensor], Any] = field(default=lambda x: x)
    forward: Callable[[nn.Module, Any], torch.Tensor] = field(
        default=lambda model, inputs: model(inputs))
    inference_only: bool = False  # no training step (ONNX Runtime)

    def parameters(self) -> int:
        """Trainable parameters."""
        return sum(p.numel() for p in self.model.parameters()
                   if p.requires_grad)


def _ours(preset: dict, **backbone: Any) -> nn.Module:
    from mmengine.registry import init_default_scope

    from stgcn_reg.registry import MODELS
    init_default_scope('stgcn_reg')
    model = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', graph_cfg=dict(
            type='Graph', layout=preset['layout'], strategy='spatial'),
            channels=preset['channels'], dropout=preset['dropout'],
            **backbone),
        cls_head=dict(type='ClsHead', num_classes=preset['num_classes'],
                      in_channels=preset['channels'][-1])))
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)  # init_weights logs every tensor
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model


def _ours_amp(preset: dict, device: Optional[torch.device]) -> Variant:
    """``ours`` under the autocast ``--amp`` chooses on ``device``."""
    from stgcn_reg.cli.amp_policy import autocast_dtype, choose_amp_dtype
    device_type = (device or torch.device('cpu')).type
    name, message = choose_amp_dtype(device_type)
    if name is None:
        raise VariantUnavailable(message)
    dtype = autocast_dtype(name)

    def forward(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
        with torch.autocast(device_type, dtype=dtype):
            return model(inputs)

    return Variant('ours_amp', _ours(preset), forward=forward)


def _plain(preset: dict) -> nn.Module:
    from stgcn_reg.graphs import Graph
    graph = Graph(preset['layout'], 'spatial')
    return PlainSTGCN(torch.tensor(graph.A, dtype=torch.float32),
                      preset['num_classes'], channels=preset['channels'],
                      strides=DEFAULT_STRIDES, dropout=preset['dropout'])


def import_mmaction_models() -> types.ModuleType:
    """``mmaction.models``, or :class:`VariantUnavailable`."""
    try:
        return references.import_mmaction_models()
    except references.MMActionUnavailable as error:
        raise VariantUnavailable(str(error)) from error


class _MMActionRecognizer(nn.Module):
    """MMAction2 ``STGCN`` backbone + ``GCNHead``, logits out."""

    def __init__(self, preset: dict) -> None:
        super().__init__()
        from mmengine.registry import DefaultScope
        models = import_mmaction_models()
        channels = preset['channels']
        # the head builds its loss from MMAction2's registry
        with DefaultScope.overwrite_default_scope('mmaction'):
            self.backbone = models.STGCN(
                graph_cfg=dict(layout=preset['mm_layout'],
                               mode='stgcn_spatial'),
                base_channels=channels[0], tcn_dropout=preset['dropout'])
            self.cls_head = models.GCNHead(
                num_classes=preset['num_classes'], in_channels=channels[-1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` skeletons to logits."""
        return self.cls_head(self.backbone(x))


def build_variant(name: str, preset: dict,
                  device: Optional[torch.device] = None) -> Variant:
    """The variant ``name`` for ``preset``, on ``device`` (default CPU)."""
    builders: Dict[str, Callable[[], Variant]] = dict(
        ours=lambda: Variant(name, _ours(preset)),
        ours_layered=lambda: Variant(name, _ours(preset,
                                                 channels_last=False)),
        ours_cp=lambda: Variant(name, _ours(preset, with_cp=True)),
        ours_compile=lambda: Variant(name, _ours(preset, compile=True)),
        ours_amp=lambda: _ours_amp(preset, device),
        plain=lambda: Variant(name, _plain(preset)),
        mmaction2=lambda: Variant(
            name, _MMActionRecognizer(preset),
            prepare=lambda x: x.permute(0, 4, 2, 3, 1).contiguous()),
    )
    if name in ONNX_VARIANTS:
        return _onnx_variant(name, preset, device)
    if name not in builders:
        raise ValueError(f'unknown variant {name!r}; choose from '
                         f'{", ".join(VARIANTS)}')
    variant = builders[name]()
    variant.model.to(device or torch.device('cpu'))
    return variant


def _onnx_variant(name: str, preset: dict,
                  device: Optional[torch.device]) -> Variant:
    """``ours`` in ONNX Runtime on the CPU (params counted on ``ours``)."""
    if (device or torch.device('cpu')).type != 'cpu':
        raise VariantUnavailable(f'{name} runs on the CPU only')
    from stgcn_reg.deploy import OnnxRuntimeMissing
    model = _ours(preset).eval()
    try:
        session = onnx_session(model, preset, *ONNX_VARIANTS[name])
    except OnnxRuntimeMissing as error:
        raise VariantUnavailable(str(error)) from error
    return Variant(name, model, prepare=as_numpy,
                   forward=lambda _, inputs: run_session(session, inputs),
                   inference_only=True)
