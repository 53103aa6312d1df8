"""Read and write MMAction2 1.x / PYSKL ST-GCN and ST-GCN++ checkpoint files.

The key mapping and its checks are :mod:`.mmaction_to_ours` and
:mod:`.mmaction_from_ours`; this module writes
the files for ``tools/convert_mmaction_checkpoint.py`` (both directions)
and for ``--load-from`` / ``tools/test.py`` given an MMAction2 file.
"""
from typing import Any, Mapping, Optional

import torch
from mmengine.config import ConfigDict

from stgcn_reg.checkpoints.converted_files import (
    save_atomically,
    save_converted,
    source_location,
)
from stgcn_reg.checkpoints.errors import MMActionCheckpointMismatchError
from stgcn_reg.checkpoints.formats import ours
from stgcn_reg.checkpoints.formats.mmaction_config import mmaction_model_cfg
from stgcn_reg.checkpoints.formats.mmaction_from_ours import (
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_graphs import (
    check_layout,
    stgcnpp_layout,
)
from stgcn_reg.checkpoints.formats.mmaction_keys import describe
from stgcn_reg.checkpoints.formats.mmaction_stgcnpp import (
    OUR_GRAPH,
    THEIR_GRAPH,
    check_supported,
    is_our_stgcnpp,
    is_their_stgcnpp,
    learned_graphs,
)
from stgcn_reg.checkpoints.formats.mmaction_to_ours import (
    convert_mmaction_state_dict,
    infer_stgcn_model_cfg,
)
from stgcn_reg.checkpoints.formats.ours_model_cfg import (
    model_config_from_weights,
    strides_in_meta,
)
from stgcn_reg.checkpoints.model_builder import build_model_from_config
from stgcn_reg.checkpoints.state_dicts import (
    state_dict_in,
    strip_module_prefix,
)


def _target_model_cfg(source_dict: Mapping[str, torch.Tensor], source: str,
                      model_cfg: Optional[Mapping],
                      layout: Optional[str]) -> dict:
    """``model_cfg`` with ``layout`` (checked against the file's graph), or
    the model the weights describe when ``model_cfg`` is None (an
    ST-GCN++ variant STGCNPP lacks refused in one line)."""
    graph = source_dict.get('backbone.gcn.0.gcn.A')
    plus_plus = is_their_stgcnpp(source_dict)
    if model_cfg is None:
        if not torch.is_tensor(graph):
            raise MMActionCheckpointMismatchError(
                f'{source}: no graph buffer backbone.gcn.0.gcn.A to find '
                'the layout from; give --config')
        check_supported(source_dict, source)
        layout = _layout_of(source_dict, layout, source, plus_plus)
        return infer_stgcn_model_cfg(source_dict, layout)
    model_cfg = ConfigDict(model_cfg).to_dict()
    if layout is not None:
        model_cfg['backbone']['graph_cfg']['layout'] = layout
        if torch.is_tensor(graph):
            _layout_of(source_dict, layout, source, plus_plus)
    return model_cfg


def _layout_of(state_dict: Mapping[str, torch.Tensor], layout: Optional[str],
               source: str, plus_plus: bool, theirs: bool = True) -> str:
    """The checked layout of a file's graph: ST-GCN's one graph must be
    the layout's; an ST-GCN++'s learned graphs need its joint count."""
    if plus_plus:
        graphs = learned_graphs(state_dict,
                                THEIR_GRAPH if theirs else OUR_GRAPH)
        return stgcnpp_layout(graphs, layout, source, mmaction_only=theirs)
    key = 'backbone.gcn.0.gcn.A' if theirs else 'backbone.A'
    return check_layout(state_dict[key], layout, source)


def convert_mmaction_checkpoint(state_dict: Mapping[str, torch.Tensor],
                                source: str,
                                out_file: str,
                                model_cfg: Optional[Mapping] = None,
                                layout: Optional[str] = None,
                                skip_mismatched_head: bool = False) -> dict:
    """Convert an MMAction2/PYSKL state dict to ours and save it atomically.

    Args:
        state_dict (Mapping[str, Tensor]): Their tensors.
        source (str): Where they came from (kept in ``meta``).
        out_file (str): The checkpoint to write.
        model_cfg (Mapping, optional): Our target model (``cfg.model``).
            Defaults to None: the model is inferred from the shapes (see
            :func:`~.mmaction_to_ours.infer_stgcn_model_cfg`) with the graph's
            layout.
        layout (str, optional): Expected layout of the file's graph;
            detected when None. With ``model_cfg`` it replaces the
            config's layout.
        skip_mismatched_head (bool): Leave out a classifier of another
            class count. Defaults to False.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``; ``meta``
        holds ``model_cfg`` and the ``layout``.

    Raises:
        MMActionCheckpointMismatchError: The file does not fit (keys,
            shapes, graph); nothing is written then.
    """
    source_dict = strip_module_prefix(state_dict)
    model_cfg = _target_model_cfg(source_dict, source, model_cfg, layout)
    model = build_model_from_config(model_cfg)
    converted = convert_mmaction_state_dict(source_dict, model,
                                            skip_mismatched_head)
    return save_converted(converted, model, source, describe(source_dict),
                          out_file, model_cfg=model_cfg,
                          layout=model.backbone.graph.layout.name)


def export_mmaction_checkpoint(checkpoint: Any,
                               source: str,
                               out_file: str,
                               layout: Optional[str] = None,
                               head_format: str = 'mmaction') -> dict:
    """Write one of our ST-GCN checkpoints for MMAction2 (or PYSKL).

    Args:
        checkpoint: Our checkpoint (``dict(state_dict=...)``) or a bare
            state dict.
        source (str): Where it came from (kept in ``meta``).
        out_file (str): The mmengine checkpoint to write.
        layout (str, optional): Expected layout of the checkpoint's
            graph; detected when None.
        head_format (str): ``'mmaction'`` (``cls_head.fc``) or ``'pyskl'``
            (``cls_head.fc_cls``). Defaults to ``'mmaction'``.

    Returns:
        dict: The saved ``dict(state_dict=..., meta=...)``; ``meta`` holds
        a suggested MMAction2 ``model_cfg`` (graph included).

    Raises:
        MMActionCheckpointMismatchError: Not an ST-GCN checkpoint of
            ours, a graph that is not ``layout``'s, or keys with no
            MMAction2 equivalent; nothing is written then.
    """
    state_dict = strip_module_prefix(state_dict_in(checkpoint))
    plus_plus = ours.detect(checkpoint) and is_our_stgcnpp(state_dict)
    if not plus_plus and not (ours.detect(checkpoint) and torch.is_tensor(
            state_dict.get('backbone.A'))):
        raise MMActionCheckpointMismatchError(
            f'{source} is not an ST-GCN checkpoint of this framework (no '
            'backbone.A graph buffer, nor STGCNPP\'s '
            'backbone.blocks.0.gcn.A)')
    layout = _layout_of(state_dict, layout, source, plus_plus, theirs=False)
    converted = to_mmaction_state_dict(state_dict, head_format)
    model_cfg = model_config_from_weights(state_dict, layout)
    strides = strides_in_meta(checkpoint)
    if strides is not None and len(strides) == len(
            model_cfg['backbone']['channels']):
        model_cfg['backbone']['strides'] = strides
    else:
        strides = None
    result = dict(
        state_dict=converted,
        meta=dict(
            converted_from=source_location(source),
            source_format=ours.NAME,
            layout=layout,
            strides_known=strides is not None,
            model_cfg=mmaction_model_cfg(model_cfg)))
    save_atomically(result, out_file)
    return result
