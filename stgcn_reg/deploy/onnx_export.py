"""Export a recognizer to ONNX, checked in ONNX Runtime before it is written.

The exporter is torch.onnx's TorchScript tracer (``dynamo=False``, opset
17): it needs no onnxscript, runs on every torch this package accepts and
exports our eval-mode routes as they run. A trace records one path through
the Python code, so every file is run in ONNX Runtime on fresh input of
other batch sizes, lengths and person counts and compared with the model
before anything is written; a mismatch raises :class:`OnnxExportError`.

The model is traced on its layered kernel route (``memory_format=
'contiguous'``), where each graph convolution is written as one MatMul
over all partitions, a conv dilated by the joint count and a constant
joint bias, with the BatchNorm after it folded in (see
:mod:`stgcn_reg.models.layers.export_graph_conv`: no Shape node on a
conv output, no Split, no float BatchNorm between integer ops), and the
temporal conv's BatchNorm folded too; not the fused channels-last CPU
route: with free axes the layered graph runs as fast as a fixed-shape
one, the fused route's slower (see ``benchmarks/model_onnx.py``). All
routes give the same logits; the check compares with the model as
configured. Multi-clip averaging stays
outside the graph (see :mod:`.onnx_runtime`).
"""
import contextlib
import inspect
import io
import time
import types
import warnings
from typing import (
    Any,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
)

import numpy as np
import torch
from torch import nn

from stgcn_reg.utils import atomic_path

from .metadata import INPUT_NAME, OUTPUT_NAME, skeleton_graph
from .onnx_runtime import (
    import_onnx_package,
    import_onnxruntime,
    open_session,
    ort_errors,
)

OPSET = 17
EXPORTER = f'torch.onnx TorchScript exporter (dynamo=False), opset {OPSET}'
RTOL = 1e-4  # max |ORT - ours| <= RTOL * max |ours| (+ ATOL)
ATOL = 1e-6
Shape = Tuple[int, ...]


class OnnxExportError(RuntimeError):
    """The exported graph does not reproduce the model."""


def import_onnx() -> types.ModuleType:
    """The ``onnx`` package, or :class:`OnnxRuntimeMissing` with a hint."""
    return import_onnx_package('onnx')


class LogitsModel(nn.Module):
    """``model(x, mode='tensor')`` as a one-input module, for tracing."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, skeletons: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)`` of skeletons ``(N, C, T, V, M)``."""
        return self.model(skeletons, mode='tensor')


# the kernel routes a trace takes (see stgcn_reg.models.routes): the
# layered one exports, and the fused channels-last CPU one (benchmarks)
LAYERED = {'memory_format': 'contiguous'}
FUSED = {'memory_format': 'channels_last', 'eval_bn': 'folded'}


@contextlib.contextmanager
def export_mode(model: nn.Module,
                routes: Optional[Dict[str, str]] = LAYERED
                ) -> Iterator[None]:
    """Eval mode and, unless ``routes`` is None, the backbones forced onto
    ``routes``; the mode, ``channels_last`` and ``routes`` restored after."""
    training = [(m, m.training) for m in model.modules()]
    backbones = [m for m in model.modules() if hasattr(m, 'channels_last')]
    saved = [(m.channels_last, getattr(m, 'routes', None))
             for m in backbones]
    model.eval()
    try:
        for backbone in backbones if routes else ():
            backbone.channels_last = (
                routes['memory_format'] == 'channels_last')
            if isinstance(getattr(backbone, 'routes', None), dict):
                backbone.routes = {**backbone.routes, **routes}
        yield
    finally:
        for backbone, (channels_last, old_routes) in zip(backbones, saved):
            backbone.channels_last = channels_last
            if old_routes is not None:
                backbone.routes = old_routes
        for module, mode in training:  # each as it was, not all as the top
            module.training = mode


def trace_to_onnx(model: nn.Module, sample: torch.Tensor,
                  dynamic: bool = True, opset: int = OPSET) -> bytes:
    """The serialised ONNX graph of ``model`` traced on ``sample``, with
    N, T and M free when ``dynamic`` (then with symbolic shapes, see
    :func:`symbolic_shapes`)."""
    axes = {INPUT_NAME: {0: 'N', 2: 'T', 4: 'M'}, OUTPUT_NAME: {0: 'N'}}
    extra = ({'dynamo': False} if 'dynamo' in inspect.signature(
        torch.onnx.export).parameters else {})
    buffer = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad():
        # the tracer's notes on Python-side shape checks, and the notice
        # that this exporter is the legacy one: the ORT check covers both
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        warnings.simplefilter('ignore', DeprecationWarning)
        try:
            torch.onnx.export(
                LogitsModel(model), (sample, ), buffer,
                opset_version=opset, input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_axes=axes if dynamic else None,
                do_constant_folding=True, **extra)
        except Exception as error:  # unsupported op, trace failure, ...
            raise OnnxExportError(f'torch.onnx.export failed: '
                                  f'{str(error).strip()}') from error
    return symbolic_shapes(buffer.getvalue()) if dynamic else \
        buffer.getvalue()


def symbolic_shapes(data: bytes) -> bytes:
    """``data`` with every tensor's shape in terms of N, T and M.

    The traced graph computes its reshapes from ``Shape`` nodes, which
    hides from ONNX Runtime that a residual sum adds equal shapes; without
    the shapes it does not fuse conv + add + ReLU, and the free-axis graph
    runs a few percent slower than a fixed-shape one. On failure the graph
    is kept as it is (correct, a little slower), with a warning.
    """
    onnx = import_onnx()
    try:
        from onnxruntime.tools.symbolic_shape_infer import (
            SymbolicShapeInference,
        )
        proto = SymbolicShapeInference.infer_shapes(
            onnx.load_from_string(data), auto_merge=True)
    except Exception as error:  # an optimisation only: never fatal
        warnings.warn(f'ONNX symbolic shape inference failed ({error}); '
                      'the graph is kept without it', stacklevel=2)
        return data
    return proto.SerializeToString()


def with_metadata(data: bytes, metadata: Mapping[str, str]) -> bytes:
    """``data`` with ``metadata`` as its metadata_props, checked by
    ``onnx.checker``."""
    onnx = import_onnx()
    proto = onnx.load_from_string(data)
    del proto.metadata_props[:]
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = str(key), str(value)
    try:
        onnx.checker.check_model(proto)
    except onnx.checker.ValidationError as error:
        raise OnnxExportError(f'the exported graph is not valid ONNX: '
                              f'{str(error).strip()}') from None
    return proto.SerializeToString()


def check_shapes(sample: Shape, dynamic: bool) -> List[Shape]:
    """Inputs the check runs: the traced shape's batch 1 and batch 3 at
    another length and person count (dynamic), else the traced shape."""
    if not dynamic:
        return [tuple(sample)]
    _, c, t, v, m = sample
    return [(1, c, t, v, m), (3, c, t // 2 + 3, v, 1 if m > 1 else 2)]


@torch.no_grad()
def verify_onnx(model: nn.Module, data: bytes, shapes: Sequence[Shape],
                seed: int = 0) -> List[Dict[str, Any]]:
    """Run ``data`` in ONNX Runtime on random input of each shape and
    compare with ``model`` (eval mode, as configured).

    Raises:
        OnnxExportError: Some logits differ by more than
            ``RTOL * max |ours| + ATOL``.
    """
    session = open_session(data, name='exported graph')
    errors = ort_errors(import_onnxruntime())
    generator = torch.Generator().manual_seed(seed)
    report = []
    for shape in shapes:
        x = torch.randn(*shape, generator=generator)
        ours = model(x, mode='tensor').float().numpy()
        try:
            theirs = session.run(None, {INPUT_NAME: x.numpy()})[0]
        except errors as error:
            raise OnnxExportError(
                f'ONNX Runtime cannot run the exported graph on input '
                f'{shape}: {str(error).strip()}; nothing written') from None
        if theirs.shape != ours.shape:
            raise OnnxExportError(
                f'ONNX Runtime gives logits {theirs.shape} for input '
                f'{shape}, the model {ours.shape}')
        diff = float(np.abs(theirs - ours).max())
        scale = float(np.abs(ours).max())
        report.append(dict(shape=list(shape), max_abs_diff=diff,
                           max_abs_logit=scale))
        if not diff <= RTOL * scale + ATOL:  # also catches NaN
            raise OnnxExportError(
                f'ONNX Runtime logits differ from the model on input '
                f'{shape}: max |diff| {diff:.3g} > {RTOL:g} x max |logit| '
                f'{scale:.3g}; nothing written')
    return report


def export_onnx(model: nn.Module, out: str, metadata: Mapping[str, str],
                sample_shape: Shape, dynamic: bool = True,
                routes: Optional[Dict[str, str]] = LAYERED,
                int8_clips: Optional[Sequence[np.ndarray]] = None,
                min_agreement: float = 0.9) -> Dict[str, Any]:
    """Trace, add ``metadata``, check in ONNX Runtime, write ``out``.

    With ``int8_clips`` (real clips ``(C, T, V, M)``) the checked graph is
    quantised to int8 and compared with it on half of them (see
    :func:`stgcn_reg.deploy.onnx_int8.quantize_checked`) before it is
    written. ``out`` is written atomically and only once the checks have
    passed. Returns the checks' report with the export time and file size.
    """
    start = time.perf_counter()
    backbone = skeleton_graph(model)
    if sample_shape[1] != backbone.in_channels or \
            sample_shape[3] != backbone.num_node:
        raise ValueError(f'sample shape {tuple(sample_shape)}: expected C='
                         f'{backbone.in_channels}, V={backbone.num_node}')
    sample = torch.randn(*sample_shape,
                         generator=torch.Generator().manual_seed(1))
    with export_mode(model, routes):
        data = trace_to_onnx(model, sample, dynamic)
    metadata = dict(metadata, exporter=EXPORTER,
                    dynamic_axes='N,T,M' if dynamic else '',
                    traced_shape=','.join(map(str, sample_shape)))
    data = with_metadata(data, metadata)
    with export_mode(model, routes=None):  # compared as configured
        checks = verify_onnx(model, data,
                             check_shapes(tuple(sample_shape), dynamic))
    int8 = None
    if int8_clips is not None:
        from .onnx_int8 import INT8_METADATA, quantize_checked
        data, int8 = quantize_checked(data, int8_clips, min_agreement)
        data = with_metadata(data, dict(
            metadata, **INT8_METADATA,
            int8_top1_agreement=f"{int8['top1_agreement']:.4f}",
            int8_check_clips=str(int8['clips'])))
    with atomic_path(out) as temp:
        with open(temp, 'wb') as file:
            file.write(data)
    return dict(checks=checks, bytes=len(data), int8=int8,
                seconds=round(time.perf_counter() - start, 2))
