"""An exported graph quantised to int8 in ONNX Runtime, checked on real clips.

Static quantisation (QDQ format, onnxruntime.quantization): per-channel
int8 weights, uint8 activations whose ranges come from calibration clips
(min-max), BatchNorm folded into the convolutions first. ONNX Runtime then
runs the convolutions as integer kernels (VNNI where the CPU has it), the
fastest CPU route on machines without fast bf16. Quantisation changes the
scores, so the int8 graph is compared with the float32 one on clips it was
not calibrated on: the share of clips whose top-1 class is the same, and
the largest change of a softmax score. Below ``min_agreement`` nothing is
written.

Weights use 7 bits (``reduce_range``): without VNNI, ONNX Runtime's
uint8 x int8 kernels add pairs of products in 16 bits, which can saturate
with full-range weights; 7 bits cannot. A file made on one CPU then keeps
its accuracy on every other.
"""
import contextlib
import logging
import os.path as osp
import tempfile
from typing import Any, Dict, Iterator, List, Optional, Sequence

import numpy as np

from .metadata import INPUT_NAME
from .onnx_runtime import import_onnx_package, open_session

INT8_METADATA = dict(precision='int8', quantization=(
    'onnxruntime static QDQ, per-channel int8 weights (7 bits), uint8 '
    'activations, min-max calibration'))


class Int8QuantizationError(ValueError):
    """The int8 graph disagrees with the float32 one too often."""


class _Clips:
    """onnxruntime's CalibrationDataReader over clips ``(C, T, V, M)``,
    one a run."""

    def __init__(self, clips: Sequence[np.ndarray]) -> None:
        self._clips: Iterator[np.ndarray] = iter(clips)

    def get_next(self) -> Optional[Dict[str, np.ndarray]]:
        clip = next(self._clips, None)
        return None if clip is None else {
            INPUT_NAME: np.ascontiguousarray(clip[None], np.float32)}


@contextlib.contextmanager
def _quiet_root_logger():
    """onnxruntime.quantization warns on the root logger about 1-D weights
    it keeps per-tensor (BatchNorms before a conv): not the user's to fix."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def quantize_graph(data: bytes, calibration: Sequence[np.ndarray]) -> bytes:
    """``data`` (a float32 graph) quantised to int8, with activation
    ranges from the clips ``calibration`` (each ``(C, T, V, M)``)."""
    onnx = import_onnx_package('onnx')
    import_onnx_package('onnxruntime')
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    reader = type('ClipReader', (_Clips, CalibrationDataReader), {})
    with tempfile.TemporaryDirectory(prefix='stgcn_int8_') as folder:
        source, prepared, output = (osp.join(folder, name) for name in (
            'fp32.onnx', 'prepared.onnx', 'int8.onnx'))
        with open(source, 'wb') as file:
            file.write(data)
        # folds BatchNorm into the convolutions, so that each conv is
        # quantised once with the folded weights
        with _quiet_root_logger():
            quant_pre_process(source, prepared, skip_symbolic_shape=True)
            quantize_static(
                prepared, output, reader(calibration),
                quant_format=QuantFormat.QDQ, per_channel=True,
                reduce_range=True, weight_type=QuantType.QInt8,
                activation_type=QuantType.QUInt8,
                extra_options=dict(TensorQuantOverrides={
                    name: [dict(quant_type=QuantType.QUInt8)]
                    for name in _constant_left_operands(onnx.load(prepared))
                }))
        proto = onnx.load(output)
    return proto.SerializeToString()


def _constant_left_operands(proto: Any) -> List[str]:
    """Initializers that are the first input of a MatMul (the joint
    aggregation, constant on the left): quantised per tensor, as
    ONNX Runtime's integer MatMul takes only its right operand per
    channel (per channel, the MatMul would stay float between a
    dequantise and a quantise)."""
    constants = {tensor.name for tensor in proto.graph.initializer}
    return [node.input[0] for node in proto.graph.node
            if node.op_type == 'MatMul' and node.input[0] in constants]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def compare_int8(float32: bytes, int8: bytes,
                 clips: Sequence[np.ndarray]) -> Dict[str, Any]:
    """Top-1 agreement and the largest softmax change of ``int8`` against
    ``float32`` on ``clips`` (each ``(C, T, V, M)``), one a run."""
    sessions = [open_session(data, name=name) for data, name in (
        (float32, 'float32 graph'), (int8, 'int8 graph'))]
    scores = [
        _softmax(np.concatenate([
            session.run(None, {INPUT_NAME: np.ascontiguousarray(
                clip[None], np.float32)})[0] for clip in clips]))
        for session in sessions
    ]
    same = scores[0].argmax(axis=1) == scores[1].argmax(axis=1)
    return dict(clips=len(clips), top1_agreement=float(same.mean()),
                max_score_change=float(np.abs(scores[0] - scores[1]).max()))


def quantize_checked(data: bytes, clips: Sequence[np.ndarray],
                     min_agreement: float = 0.9) -> tuple:
    """``(int8 graph, report)``: calibrated on the even clips of ``clips``,
    compared with ``data`` on the odd ones.

    Raises:
        Int8QuantizationError: Too few clips, or a top-1 agreement below
            ``min_agreement``.
    """
    if len(clips) < 2:
        raise Int8QuantizationError(
            f'int8: {len(clips)} calibration clip(s); need at least 2 (half '
            'calibrate, half check)')
    int8 = quantize_graph(data, clips[0::2])
    report = compare_int8(data, int8, clips[1::2])
    report['calibration_clips'] = len(clips[0::2])
    if not report['top1_agreement'] >= min_agreement:
        raise Int8QuantizationError(
            f"int8: the top-1 class agrees with float32 on "
            f"{report['top1_agreement']:.0%} of {report['clips']} held-out "
            f'clips, below {min_agreement:.0%}; nothing written (more '
            'calibration clips, or export float32)')
    return int8, report
