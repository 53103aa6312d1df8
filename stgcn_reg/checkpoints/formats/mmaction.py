"""ST-GCN(++) state dicts of MMAction2 1.x and PYSKL, to and from ours.

MMAction2's ``STGCN`` backbone (``graph_cfg=dict(layout=...,
mode='stgcn_spatial')``, ``data_bn_type='VC'``) with a ``GCNHead``
computes the same function as the reference ST-GCN. Its keys, per block
``i``: ``backbone.gcn.{i}.gcn.{A,PA}`` (graph and edge importance, one
copy per block), ``gcn.conv`` (1x1 conv to ``out*K``), ``gcn.bn`` (our
``tcn.bn_in``), ``tcn.conv``, ``tcn.bn`` (our ``tcn.bn_out``) and
``residual.{conv,bn}``; ``backbone.data_bn.*`` (channel index ``v*C + c``,
as ours) and the head ``cls_head.fc.*`` (PYSKL: ``cls_head.fc_cls.*``).

MMAction2's ST-GCN++ (``gcn_adaptive='init'``, ``gcn_with_res=True``,
``tcn_type='mstcn'``; told by its ``tcn.branches`` keys) is our
``STGCNPP``, its learned graph ``gcn.A`` one per block on both sides
(keys in :mod:`.mmaction_stgcnpp`); a variant it cannot hold (an edge
importance ``PA``, no ``gcn.down`` shortcut) is refused in one line.

Every key and shape is checked both ways; a file that does not fit is
refused as a whole with the keys named. This module is the format's
interface; the work is done in :mod:`.mmaction_to_ours`,
:mod:`.mmaction_from_ours` and :mod:`.mmaction_files`.
"""
from typing import Any

from stgcn_reg.checkpoints.formats.mmaction_files import (
    convert_mmaction_checkpoint,
)
from stgcn_reg.checkpoints.formats.mmaction_from_ours import (
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_keys import (
    describe,
    is_mmaction_stgcn_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_to_ours import (
    convert_mmaction_state_dict,
    infer_stgcn_model_cfg,
)
from stgcn_reg.checkpoints.state_dicts import state_dict_in

__all__ = [
    'NAME', 'describe', 'detect', 'from_ours', 'model_config_from_weights',
    'save_as_ours', 'to_ours', 'convert_mmaction_checkpoint',
    'convert_mmaction_state_dict', 'infer_stgcn_model_cfg',
    'is_mmaction_stgcn_state_dict', 'to_mmaction_state_dict'
]

NAME = 'MMAction2/PYSKL ST-GCN'


def detect(obj: Any) -> bool:
    """Whether ``obj`` is an MMAction2/PYSKL ST-GCN checkpoint (mmengine's
    ``state_dict`` + ``meta``, or mmcv's) or state dict."""
    return is_mmaction_stgcn_state_dict(state_dict_in(obj))


# the rest of the format's interface (see :mod:`.checkpoint_format`)
to_ours = convert_mmaction_state_dict
save_as_ours = convert_mmaction_checkpoint
from_ours = to_mmaction_state_dict
model_config_from_weights = infer_stgcn_model_cfg
