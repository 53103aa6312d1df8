"""Deployment: export recognizers to ONNX (float32 or int8) and run them in
ONNX Runtime.

Needs the ``onnx`` extra (``pip install -e '.[onnx]'``); without it the
calls that need onnx or onnxruntime raise :class:`OnnxRuntimeMissing`
with the install command.
"""
from .metadata import (
    FORMAT,
    INPUT_LAYOUT,
    SIGNATURE_KEYS,
    export_metadata,
    model_signature,
    signature_mismatches,
)
from .onnx_export import EXPORTER, OnnxExportError, export_onnx, verify_onnx
from .onnx_int8 import Int8QuantizationError, quantize_checked
from .onnx_runtime import (
    INSTALL_HINT,
    OnnxRecognizer,
    OnnxRuntimeMissing,
    import_onnxruntime,
    open_session,
)

__all__ = [
    'EXPORTER', 'FORMAT', 'INPUT_LAYOUT', 'INSTALL_HINT',
    'Int8QuantizationError', 'OnnxExportError',
    'OnnxRecognizer', 'OnnxRuntimeMissing', 'SIGNATURE_KEYS',
    'export_metadata', 'export_onnx', 'import_onnxruntime',
    'model_signature', 'open_session', 'quantize_checked',
    'signature_mismatches', 'verify_onnx'
]
