"""MMAction2 1.2.0's own ST-GCN++ and real NTU input, for conversion tests.

The model is built from MMAction2's config file
(``stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py``), so the test
compares against what MMAction2 trains and releases; "trained" models get
random weights and BatchNorm statistics, learned graphs moved off their
start and a few SGD steps on real NTU skeletons.
"""
import glob
import os.path as osp
from typing import Any, Dict

import numpy as np
import pytest
import torch
from conftest import SHARED_DATA
from mmaction_reference import import_mmaction
from mmengine.config import Config
from mmengine.registry import DefaultScope
from reference_stgcn import randomize
from torch import nn

CONFIG = ('skeleton/stgcnpp/'
          'stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py')


def mmaction_stgcnpp_cfg() -> Dict[str, Any]:
    """The ``model`` dict of MMAction2's NTU-60 joint ST-GCN++ config."""
    import_mmaction()
    import mmaction
    path = osp.join(osp.dirname(mmaction.__file__), '.mim', 'configs',
                    CONFIG)
    if not osp.isfile(path):
        pytest.skip(f'MMAction2 config not found at {path}')
    return Config.fromfile(path).model.to_dict()


def build_mmaction(model_cfg: Dict[str, Any]) -> nn.Module:
    """An MMAction2 model, built in MMAction2's registry scope."""
    import_mmaction()
    from mmaction.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmaction'):
        return MODELS.build(model_cfg)


def mmaction_stgcnpp(seed: int = 0, **backbone: Any) -> nn.Module:
    """MMAction2's ST-GCN++ of its config (``backbone`` overrides), with
    random weights and BN statistics and each block's graph ``A`` moved
    off its start; in eval mode."""
    cfg = mmaction_stgcnpp_cfg()
    cfg['backbone'].update(backbone)
    if 'base_channels' in backbone:
        cfg['cls_head']['in_channels'] = backbone['base_channels'] * 2**len(
            backbone.get('inflate_stages', [5, 8]))
    model = randomize(build_mmaction(cfg), seed)
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith('.gcn.A'):
                start = model.backbone.graph.A
                param.copy_(torch.as_tensor(start, dtype=torch.float32) +
                            0.05 * torch.randn(param.shape,
                                               generator=generator))
    return model


def train_a_little(model: nn.Module, x: torch.Tensor, steps: int = 2,
                   lr: float = 0.05) -> nn.Module:
    """A few SGD steps of an MMAction2 recognizer on ``x`` (ours,
    ``(N, C, T, V, M)``), then eval mode: trained weights, BN statistics
    and graphs."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    labels = torch.arange(x.shape[0]) % model.cls_head.num_classes
    model.train()
    for _ in range(steps):
        logits = model.cls_head(model.backbone(x.permute(0, 4, 2, 3, 1)))
        loss = nn.functional.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def real_ntu_skeletons(num_frames: int = 100) -> torch.Tensor:
    """Two clips ``(2, 3, T, 25, 2)`` from the shared real NTU files: each
    pairs the body of one file with that of the next as its two persons,
    ``num_frames`` frames sampled evenly, centred on the first spine."""
    from stgcn_reg.datasets.readers.ntu_skeleton import read_skeleton_file
    paths = sorted(glob.glob(osp.join(SHARED_DATA, 'ntu', '*.skeleton')))
    if len(paths) < 3:
        pytest.skip(f'real NTU .skeleton files not found in {SHARED_DATA}')
    bodies = []
    for path in paths[:3]:
        track = next(iter(read_skeleton_file(path).bodies.values()))
        frames = np.linspace(0, len(track.joints) - 1, num_frames)
        bodies.append(track.joints[np.round(frames).astype(int)])
    clips = []
    for first, second in ((0, 1), (1, 2)):
        pair = np.stack([bodies[first], bodies[second]], axis=-1)
        pair = pair - bodies[first][0, 1][np.newaxis, np.newaxis, :,
                                           np.newaxis]
        clips.append(pair.transpose(2, 0, 1, 3))  # (C, T, V, M)
    return torch.as_tensor(np.stack(clips), dtype=torch.float32)
