"""Run an exported recognizer (``.onnx``) in ONNX Runtime on the CPU.

:class:`OnnxRecognizer` is called like our recognizers in ``tensor``
mode (skeletons in, logits out), so the inference APIs take either. The
graph takes single clips ``(N, C, T, V, M)`` with N, T and M free;
multi-clip input ``(N, num_clips, C, T, V, M)`` runs as ``N * num_clips``
clips and their scores are averaged here, by the recognizer's own
:meth:`~stgcn_reg.models.recognizers.SkeletonRecognizer.average_clip_scores`
as the file's ``average_clips`` says.
"""
import importlib
import os.path as osp
import types
from typing import Any, Dict, List, Optional, Union

import numpy as np
import torch

from .metadata import (
    FORMAT,
    FORMAT_KEY,
    INPUT_NAME,
    as_int,
    class_names_of,
)

INSTALL_HINT = ("pip install -e '.[onnx]' (onnx==1.22.0, "
                'onnxruntime==1.32.0)')


class OnnxRuntimeMissing(ImportError):
    """onnxruntime (or onnx) is not installed; the message says how to."""


def import_onnx_package(name: str) -> types.ModuleType:
    """``onnxruntime`` or ``onnx``, or :class:`OnnxRuntimeMissing` saying
    how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise OnnxRuntimeMissing(
            f'{name} is not installed ({error}); install it: '
            f'{INSTALL_HINT}') from None


def import_onnxruntime() -> types.ModuleType:
    """The ``onnxruntime`` module, or :class:`OnnxRuntimeMissing`."""
    return import_onnx_package('onnxruntime')


def ort_errors(ort: types.ModuleType) -> tuple:
    """ONNX Runtime's exception classes (a file it cannot load, an input
    it cannot run)."""
    state = ort.capi.onnxruntime_pybind11_state
    names = ('Fail', 'InvalidArgument', 'InvalidGraph', 'InvalidProtobuf',
             'NoSuchFile', 'NotImplemented', 'RuntimeException')
    return tuple(getattr(state, name) for name in names
                 if hasattr(state, name))


def open_session(model: Union[str, bytes], threads: Optional[int] = None,
                 name: Optional[str] = None) -> Any:
    """A CPU InferenceSession: all graph optimisations, ``threads`` intra-op
    threads (default torch's), one inter-op thread, sequential, and no
    spin-waiting between runs (idle threads would otherwise keep the cores
    busy while the caller reads, estimates poses or runs torch)."""
    ort = import_onnxruntime()
    options = ort.SessionOptions()
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    options.intra_op_num_threads = threads or torch.get_num_threads()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry('session.intra_op.allow_spinning', '0')
    options.log_severity_level = 3  # errors only
    label = name or (model if isinstance(model, str) else 'ONNX model')
    try:
        return ort.InferenceSession(model, options,
                                    providers=['CPUExecutionProvider'])
    except ort_errors(ort) as error:
        raise ValueError(f'{label}: not a valid ONNX model that ONNX Runtime '
                         f'can run ({str(error).strip()})') from None


class OnnxRecognizer:
    """An exported recognizer in ONNX Runtime, used like ours.

    Args:
        path (str): A ``.onnx`` file written by ``tools/export_onnx.py``.
        threads (int, optional): Intra-op threads. Defaults to torch's.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not an ONNX file, or one without our metadata.
    """

    device = torch.device('cpu')

    def __init__(self, path: str, threads: Optional[int] = None) -> None:
        if not osp.isfile(path):
            raise FileNotFoundError(f'ONNX model {path!r} does not exist')
        self.path = path
        self.session = open_session(path, threads)
        self._run_errors = ort_errors(import_onnxruntime())
        self.metadata: Dict[str, str] = dict(
            self.session.get_modelmeta().custom_metadata_map)
        if self.metadata.get(FORMAT_KEY) != FORMAT:
            raise ValueError(
                f'{path}: no stgcn_reg metadata ({FORMAT_KEY}={FORMAT!r} '
                'missing): export the model with tools/export_onnx.py')
        self.layout = self.metadata.get('graph_layout')
        self.in_channels = as_int(self.metadata, 'in_channels', path)
        self.num_joints = as_int(self.metadata, 'num_joints', path)
        self.num_classes = as_int(self.metadata, 'num_classes', path)
        self.temporal_receptive_field = as_int(
            self.metadata, 'temporal_receptive_field', path)
        self.class_names: Optional[List[str]] = class_names_of(self.metadata)
        self.average_clips = self.metadata.get('average_clips') or None

    def eval(self) -> 'OnnxRecognizer':
        """For API parity with ``nn.Module``: always in inference mode."""
        return self

    def __call__(self, inputs: torch.Tensor,
                 mode: str = 'tensor') -> torch.Tensor:
        """Logits ``(N, num_classes)``, as our ``tensor`` mode returns."""
        if mode != 'tensor':
            raise ValueError(f"an ONNX model runs in 'tensor' mode only, "
                             f'got mode={mode!r}')
        array = inputs.detach().cpu().numpy()
        if array.ndim == 6:
            return self._multi_clip(array)
        return torch.from_numpy(self.logits(array))

    def logits(self, skeletons: np.ndarray) -> np.ndarray:
        """Logits of single clips ``(N, C, T, V, M)`` (float32)."""
        self._check_input(skeletons.shape)
        x = np.ascontiguousarray(skeletons, dtype=np.float32)
        try:
            return self.session.run(None, {INPUT_NAME: x})[0]
        except self._run_errors as error:
            raise ValueError(f'{self.path}: ONNX Runtime failed on input '
                             f'{x.shape}: {str(error).strip()}') from None

    def _multi_clip(self, array: np.ndarray) -> torch.Tensor:
        """``(N, num_clips, ...)``: every clip run, scores averaged."""
        if self.average_clips is None:
            raise ValueError(
                f'{self.path}: this {self.metadata.get("recognizer")} takes '
                f'single clips (N, C, T, V, M), got {array.shape}')
        n, clips = array.shape[:2]
        logits = torch.from_numpy(
            self.logits(array.reshape(n * clips, *array.shape[2:])))
        from stgcn_reg.models.recognizers import SkeletonRecognizer

        # the recognizer's own averaging, on its one attribute it reads
        owner = types.SimpleNamespace(average_clips=self.average_clips)
        return SkeletonRecognizer.average_clip_scores(
            owner, logits.view(n, clips, -1))

    def _check_input(self, shape: tuple) -> None:
        """Refuse input that is not ``(N, C, T, V, M)`` with our C and V,
        worded as the backbones word it."""
        if len(shape) != 5:
            raise ValueError(
                f'{self.path} expects input of shape (N, C, T, V, M), got '
                f'{len(shape)}-D shape {tuple(shape)}')
        if shape[1] != self.in_channels or shape[3] != self.num_joints:
            raise ValueError(
                f'{self.path} input {tuple(shape)} does not match the model: '
                f'expected C={self.in_channels} channels and '
                f'V={self.num_joints} joints (graph layout {self.layout!r})')
