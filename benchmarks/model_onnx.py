"""ONNX Runtime variants of the model benchmark (inference only).

- ``onnxruntime``: ``ours`` exported as ``tools/export_onnx.py`` does
  (layered route, N, T and M free), in the session
  :func:`stgcn_reg.deploy.open_session` opens (all graph optimisations,
  torch's thread count).
- ``onnxruntime_static``: the same traced at the benchmark's exact input
  shape with every axis fixed, to show that the free axes cost nothing.
- ``onnxruntime_fused``: free axes, traced on the fused channels-last CPU
  route instead, to show why the export takes the layered one.

Each graph is checked against the model before it is timed.
"""
from typing import Any, Dict

import numpy as np
import torch
from torch import nn

# variant -> (free N/T/M axes, fused channels-last route)
ONNX_VARIANTS: Dict[str, tuple] = dict(
    onnxruntime=(True, False), onnxruntime_static=(False, False),
    onnxruntime_fused=(True, True))


def onnx_session(model: nn.Module, preset: Dict[str, Any],
                 dynamic: bool, fused: bool) -> Any:
    """An ONNX Runtime session of ``model`` for the preset's input shape,
    checked against the model first."""
    from stgcn_reg.deploy import open_session, verify_onnx
    from stgcn_reg.deploy.onnx_export import (
        FUSED,
        LAYERED,
        check_shapes,
        export_mode,
        trace_to_onnx,
    )
    shape = (preset['batch'], 3, preset['frames'], preset['num_nodes'],
             preset['persons'])
    sample = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    with export_mode(model, FUSED if fused else LAYERED):
        data = trace_to_onnx(model, sample, dynamic)
    with export_mode(model, routes=None):
        verify_onnx(model, data, check_shapes(shape, dynamic))
    return open_session(data, name='benchmark graph')


def run_session(session: Any, inputs: np.ndarray) -> np.ndarray:
    """Logits of ``inputs`` ``(N, C, T, V, M)`` from the session."""
    from stgcn_reg.deploy.metadata import INPUT_NAME
    return session.run(None, {INPUT_NAME: inputs})[0]


def as_numpy(x: torch.Tensor) -> np.ndarray:
    """The benchmark input as the contiguous float32 array ORT takes."""
    return np.ascontiguousarray(x.detach().cpu().numpy(), np.float32)
