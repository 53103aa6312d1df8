"""What an exported ``.onnx`` file says about its model (metadata_props).

All values are strings (ONNX metadata is string to string). The
signature part (:func:`model_signature`) is what a config must agree
with to run the file: graph, channels, joints, classes and clip
averaging; the rest (class names, receptive field, versions) describes.
"""
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

import torch
from torch import nn

from stgcn_reg.graphs import Graph

# marks a file made by stgcn_reg.deploy, and its metadata version
FORMAT_KEY, FORMAT = 'stgcn_reg.format', 'stgcn_reg-onnx/1'
INPUT_NAME, OUTPUT_NAME = 'skeletons', 'logits'
INPUT_LAYOUT = 'N,C,T,V,M'  # batch, channels, frames, joints, persons
# the keys a config must match, in the order errors list them
SIGNATURE_KEYS = ('recognizer', 'graph_layout', 'graph_strategy',
                  'graph_mode', 'num_joints', 'in_channels', 'num_classes',
                  'average_clips')


def skeleton_graph(model: nn.Module) -> nn.Module:
    """The model's (first) backbone, the module holding a skeleton Graph."""
    for module in model.modules():
        if isinstance(getattr(module, 'graph', None), Graph):
            return module
    raise ValueError(f'{type(model).__name__} has no skeleton graph '
                     '(no backbone with a .graph): not an ST-GCN model')


@torch.no_grad()
def probe_logits(model: nn.Module, frames: int = 16) -> torch.Tensor:
    """Logits of one all-zero clip; refuses models without one logits
    tensor (e.g. emotion models, which return a dict of head outputs)."""
    backbone = skeleton_graph(model)
    x = torch.zeros(1, backbone.in_channels, frames, backbone.num_node, 1,
                    device=next(model.parameters()).device)
    logits = model(x, mode='tensor')
    if not torch.is_tensor(logits) or logits.dim() != 2:
        raise ValueError(
            f'{type(model).__name__} returns {type(logits).__name__} in '
            'tensor mode, not (N, num_classes) logits: only action '
            'recognizers (SkeletonRecognizer, TwoStreamRecognizer) export')
    return logits


def model_signature(model: nn.Module) -> Dict[str, str]:
    """The :data:`SIGNATURE_KEYS` of ``model`` as strings."""
    backbone = skeleton_graph(model)
    graph = backbone.graph
    return dict(
        recognizer=type(model).__name__,
        graph_layout=graph.layout.name,
        graph_strategy=graph.strategy or '',
        graph_mode=graph.mode or '',
        num_joints=str(backbone.num_node),
        in_channels=str(backbone.in_channels),
        num_classes=str(probe_logits(model).shape[1]),
        # '' where the model takes single clips only
        average_clips=str(getattr(model, 'average_clips', '') or ''))


def export_metadata(model: nn.Module, receptive_field: int,
                    class_names: Optional[Sequence[str]] = None,
                    extra: Optional[Mapping[str, str]] = None
                    ) -> Dict[str, str]:
    """Signature, input/output convention, names and versions."""
    from stgcn_reg.version import __version__
    metadata = {FORMAT_KEY: FORMAT, **model_signature(model),
                'input_name': INPUT_NAME, 'input_layout': INPUT_LAYOUT,
                'output_name': OUTPUT_NAME,
                'output_layout': 'N,num_classes',
                'temporal_receptive_field': str(receptive_field),
                'stgcn_reg_version': __version__,
                'torch_version': torch.__version__}
    if class_names is not None:
        metadata['class_names'] = json.dumps(list(class_names))
    metadata.update(extra or {})
    return metadata


def signature_mismatches(file_metadata: Mapping[str, str],
                         expected: Mapping[str, str]) -> List[str]:
    """``key: file X, config Y`` for each signature key that differs."""
    return [f'{key}: file {file_metadata.get(key)!r}, config '
            f'{expected[key]!r}' for key in SIGNATURE_KEYS
            if file_metadata.get(key) != expected[key]]


def class_names_of(metadata: Mapping[str, str]) -> Optional[List[str]]:
    """The class names stored at export, or None."""
    text = metadata.get('class_names')
    return None if not text else [str(name) for name in json.loads(text)]


def as_int(metadata: Mapping[str, Any], key: str, path: str) -> int:
    """``metadata[key]`` as an int; a clear error naming the file."""
    try:
        return int(metadata[key])
    except (KeyError, ValueError):
        raise ValueError(f'{path}: ONNX metadata {key!r} is missing or not '
                         f'an integer ({metadata.get(key)!r}); export the '
                         'model again with tools/export_onnx.py') from None
