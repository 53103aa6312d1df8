"""Choose what runs a checkpoint: our model in torch, or an exported
``.onnx`` file in ONNX Runtime (checked against the config first)."""
from typing import Any, Dict, Optional, Tuple, Union

from mmengine.config import Config
from torch import nn

from .inference import init_recognizer

# what the inference calls take: a recognizer or an OnnxRecognizer
Recognizer = Union[nn.Module, Any]


def is_onnx_file(path: Optional[str]) -> bool:
    """Whether ``path`` names an exported ONNX model (by its suffix)."""
    return bool(path) and path.lower().endswith('.onnx')


def load_recognizer(config: str,
                    checkpoint: Optional[str] = None,
                    device: str = 'cpu',
                    trusted: bool = False,
                    cfg_options: Optional[Dict[str, Any]] = None
                    ) -> Tuple[Recognizer, Config]:
    """:func:`init_recognizer`, or for a ``.onnx`` checkpoint an
    :class:`~stgcn_reg.deploy.OnnxRecognizer` whose file metadata matches
    the model the config builds (graph, channels, joints, classes, clip
    averaging).

    Raises:
        ValueError: The file is not one of our ONNX exports, does not
            match the config, or a device other than the CPU is asked.
        OnnxRuntimeMissing: onnxruntime is not installed.
    """
    if not is_onnx_file(checkpoint):
        return init_recognizer(config, checkpoint, device, trusted,
                               cfg_options)
    if device != 'cpu':
        raise ValueError(f'{checkpoint}: an ONNX model runs in ONNX Runtime '
                         f'on the CPU; got --device {device}')
    from stgcn_reg.deploy import (
        OnnxRecognizer,
        model_signature,
        signature_mismatches,
    )
    runner = OnnxRecognizer(checkpoint)  # a bad file fails first
    reference, cfg = init_recognizer(config, None, 'cpu',
                                     cfg_options=cfg_options)
    problems = signature_mismatches(runner.metadata,
                                    model_signature(reference))
    if problems:
        raise ValueError(
            f'{checkpoint} was not exported from the model of config '
            f'{config}: ' + '; '.join(problems))
    return runner, cfg
