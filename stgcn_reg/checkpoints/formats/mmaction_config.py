"""MMAction2's ``RecognizerGCN`` config for one of our ST-GCN(++) configs."""
from typing import Mapping

from stgcn_reg.checkpoints.formats.mmaction_graphs import (
    mmaction_graph_cfg,
    mmaction_mode_of,
)

# the block arguments that make MMAction2's STGCN an ST-GCN++
STGCNPP_BLOCK = dict(gcn_adaptive='init', gcn_with_res=True,
                     tcn_type='mstcn')


def mmaction_model_cfg(model_cfg: Mapping) -> dict:
    """The MMAction2 model of our ``SkeletonRecognizer`` config.

    ``model_cfg`` names ``channels``, ``strides`` and ``in_channels`` (as
    :func:`~.ours_model_cfg.model_config_from_weights` gives it). MMAction2
    stage ``i + 1`` is our block ``i`` (stage 1 the residual-free stem);
    an ``STGCNPP`` is MMAction2's ``STGCN`` with :data:`STGCNPP_BLOCK`.
    """
    backbone = model_cfg['backbone']
    channels, strides = list(backbone['channels']), list(backbone['strides'])
    stages = len(channels)
    inflate = [i + 1 for i in range(1, stages)
               if channels[i] != channels[i - 1]]
    ratios = {channels[i - 1] / channels[i - 2] for i in inflate}
    graph_cfg = backbone['graph_cfg']
    theirs = dict(
        type='STGCN',
        graph_cfg=mmaction_graph_cfg(graph_cfg['layout'],
                                     graph_cfg.get('max_hop', 1),
                                     mmaction_mode_of(graph_cfg)),
        in_channels=backbone['in_channels'],
        base_channels=channels[0],
        num_stages=stages,
        inflate_stages=inflate,
        down_stages=[i + 1 for i in range(1, stages) if strides[i] != 1])
    if len(ratios) == 1:
        ratio = ratios.pop()
        theirs['ch_ratio'] = int(ratio) if ratio.is_integer() else ratio
    if backbone.get('type') == 'STGCNPP':
        theirs.update(STGCNPP_BLOCK)
    cfg = dict(type='RecognizerGCN', backbone=theirs)
    head = model_cfg.get('cls_head')
    if head:
        cfg['cls_head'] = dict(type='GCNHead',
                               num_classes=head['num_classes'],
                               in_channels=head['in_channels'])
    return cfg
