"""The real MMAction2 1.2.0 ST-GCN, for conversion tests.

``tools/setup_env.sh`` installs it (``mmcv-lite==2.1.0 einops scipy
importlib_metadata``, then ``mmaction2==1.2.0`` without its heavy
dependencies). It is imported through :mod:`mmaction_import`; tests
needing it skip, saying why, when it cannot be imported.
"""
from typing import Any

import pytest
import torch
from mmaction_import import MMActionUnavailable, import_mmaction_models
from mmengine.registry import DefaultScope
from reference_stgcn import randomize
from torch import nn


def import_mmaction() -> Any:
    """``mmaction.models``, or skip the test with the reason."""
    try:
        return import_mmaction_models()
    except MMActionUnavailable as error:
        pytest.skip(str(error))


def mmaction_stgcn(layout: Any,
                   num_classes: int,
                   seed: int = 0,
                   head: str = 'GCNHead',
                   **backbone: Any) -> nn.Module:
    """A randomised MMAction2 ``RecognizerGCN`` (ST-GCN) in eval mode.

    Weights, BN statistics and the edge importance ``PA`` are random.
    ``backbone`` adds ``STGCN`` arguments (e.g. ``base_channels``).
    """
    import_mmaction()
    from mmaction.registry import MODELS
    graph_cfg = dict(layout=layout, mode='stgcn_spatial')
    graph_cfg.update(backbone.pop('graph', {}))
    cfg = dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', graph_cfg=graph_cfg, **backbone),
        cls_head=dict(type=head, num_classes=num_classes,
                      in_channels=backbone.get('base_channels', 64) *
                      backbone.get('ch_ratio', 2)**len(
                          backbone.get('inflate_stages', [5, 8]))))
    # built in MMAction2's scope: in ours, 'STGCN' would be our backbone
    with DefaultScope.overwrite_default_scope('mmaction'):
        model = MODELS.build(cfg)
    model = randomize(model, seed)
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith('.PA'):
                param.copy_(0.5 + torch.rand(param.shape,
                                             generator=generator))
    return model


def mmaction_logits(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Logits of an MMAction2 recognizer for our ``(N, C, T, V, M)`` input
    (MMAction2 takes ``(N, M, T, V, C)``)."""
    with torch.no_grad():
        return model.cls_head(model.backbone(x.permute(0, 4, 2, 3, 1)))
