"""ONNX Runtime variants of the model benchmark (inference only).

- ``onnxruntime``: ``ours`` exported as ``tools/export_onnx.py`` does
  (layered route, N, T and M free), in the session
  :func:`stgcn_reg.deploy.open_session` opens (all graph optimisations,
  torch's thread count).
- ``onnxruntime_static``: the same traced at the benchmark's exact input
  shape with every axis fixed, to show that the free axes cost nothing.
- ``onnxruntime_fused``: free axes, traced on the fused channels-last CPU
  route instead, to show why the export takes the layered one.
- ``onnxruntime_int8``: ``onnxruntime`` quantised to int8 as
  ``tools/export_onnx.py --int8`` does (:mod:`stgcn_reg.deploy.onnx_int8`),
  calibrated on four random clips (the benchmark's weights are random too:
  the speed is that of the integer kernels, whatever the values).

Each float32 graph is checked against the model before it is timed (the
int8 one before it is quantised; its accuracy is checked on real clips by
the export tool and the tests).
"""
from typing import Any, Dict

import numpy as np
import torch
from torch import nn

# variant -> (free N/T/M axes, fused channels-last route, int8)
ONNX_VARIANTS: Dict[str, tuple] = dict(
    onnxruntime=(True, False, False),
    onnxruntime_static=(False, False, False),
    onnxruntime_fused=(True, True, False),
    onnxruntime_int8=(True, False, True))


def onnx_session(model: nn.Module, preset: Dict[str, Any],
                 dynamic: bool, fused: bool, int8: bool = False) -> Any:
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
    if int8:
        from stgcn_reg.deploy.onnx_int8 import quantize_graph
        generator = torch.Generator().manual_seed(2)
        data = quantize_graph(data, [
            torch.randn(*shape[1:], generator=generator).numpy()
            for _ in range(4)])
    return open_session(data, name='benchmark graph')


def run_session(session: Any, inputs: np.ndarray) -> np.ndarray:
    """Logits of ``inputs`` ``(N, C, T, V, M)`` from the session."""
    from stgcn_reg.deploy.metadata import INPUT_NAME
    return session.run(None, {INPUT_NAME: inputs})[0]


def as_numpy(x: torch.Tensor) -> np.ndarray:
    """The benchmark input as the contiguous float32 array ORT takes."""
    return np.ascontiguousarray(x.detach().cpu().numpy(), np.float32)
