"""Predict the action of single clips with a trained recognizer.

The model is built from its config and its weights loaded safely (the
allowlisted ``torch.load(weights_only=True)``; original ST-GCN ``.pt``
state dicts and MMAction2/PYSKL checkpoints are converted on the fly,
their format told by :func:`~stgcn_reg.checkpoints.detect_format`). Each
clip goes through the config's test pipeline, as in ``tools/test.py``,
then the model; scores are softmax probabilities.
"""
from dataclasses import dataclass
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
)

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import DefaultScope
from torch import nn

from stgcn_reg.checkpoints.errors import CheckpointMismatchError
from stgcn_reg.checkpoints.formats import detect_format
from stgcn_reg.checkpoints.formats.ours import (
    checkpoint_mismatches,
    listed_mismatches,
)
from stgcn_reg.checkpoints.model_builder import build_model_from_config
from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file
from stgcn_reg.checkpoints.state_dicts import state_dict_in
from stgcn_reg.cli.config_checks import check_config, load_config
from stgcn_reg.evaluation.metrics.topk import top_classes

from .clip_reader import Clip


@dataclass
class ClipPrediction:
    """Scores of one clip.

    Attributes:
        clip (Clip): The clip (name, file, true label if known).
        scores (np.ndarray): ``(num_classes,)`` softmax probabilities.
    """

    clip: Clip
    scores: np.ndarray

    def top(self, k: int = 5) -> List[Tuple[int, float]]:
        """``(class, score)`` of the ``k`` best classes, best first; ties
        by class index, lower first, as the Accuracy metric ranks them."""
        return [(int(i), float(self.scores[i]))
                for i in top_classes(self.scores, k)]


def load_label_names(path: str) -> List[str]:
    """Class names, one a line (line i = class i); trailing blanks dropped."""
    with open(path, encoding='utf-8') as file:
        names = [line.rstrip('\r\n') for line in file]
    while names and not names[-1].strip():
        names.pop()
    if not names:
        raise ValueError(f'label-name file {path!r} holds no names')
    return names


def check_label_names(names: Sequence[str], num_classes: int,
                      path: str) -> None:
    """Raise when a label-name file does not have one name per class."""
    if len(names) != num_classes:
        raise ValueError(
            f'label-name file {path!r} has {len(names)} names but the '
            f'model has {num_classes} classes')


def _state_dict_of(obj: Any, checkpoint: str,
                   model: nn.Module) -> Mapping[str, torch.Tensor]:
    """The model tensors a loaded checkpoint file holds, in our keys (a
    foreign format mapped onto the model, its graph checked)."""
    fmt = detect_format(obj)
    if fmt is None:
        raise ValueError(
            f'checkpoint {checkpoint!r}: expected a checkpoint with a '
            "'state_dict', a state dict, an MMAction2/PYSKL ST-GCN "
            'checkpoint or an original ST-GCN state dict, got '
            f'{type(obj).__name__}')
    return fmt.to_ours(state_dict_in(obj), model)


def load_weights(model: nn.Module, checkpoint: str,
                 trusted: bool = False) -> None:
    """Load ``checkpoint`` into ``model``, every tensor checked.

    Raises:
        UnsafeCheckpointError: The file names code outside the allowlist.
        CheckpointMismatchError: Its tensors do not fit the model (names
            up to five keys and why).
    """
    obj = load_checkpoint_file(checkpoint, map_location='cpu',
                               trusted=trusted)
    state_dict = _state_dict_of(obj, checkpoint, model)
    problems = checkpoint_mismatches(dict(state_dict), model)
    if problems:
        raise CheckpointMismatchError(
            f'checkpoint {checkpoint!r} does not fit the model of the '
            'config:\n  - ' + listed_mismatches(problems))
    model.load_state_dict(state_dict, strict=True)


def init_recognizer(config: str,
                    checkpoint: Optional[str] = None,
                    device: str = 'cpu',
                    trusted: bool = False,
                    cfg_options: Optional[Dict[str, Any]] = None
                    ) -> Tuple[nn.Module, Config]:
    """Build the config's model, load its weights, set it to eval mode.

    Args:
        config (str): A ``.py`` config file.
        checkpoint (str, optional): Weights (mmengine checkpoint, state
            dict, MMAction2/PYSKL ST-GCN checkpoint or original ST-GCN
            ``.pt``). None keeps the initial ones.
        device (str): ``cpu`` or ``cuda``. Defaults to ``'cpu'``.
        trusted (bool): Load without the safety allowlist (only for files
            you made). Defaults to False.
        cfg_options (dict, optional): Config overrides, as
            ``--cfg-options``.

    Returns:
        tuple: The model and the config.
    """
    if config.lower().endswith(('.yaml', '.yml')):
        raise ValueError(
            f'config {config!r} is an original ST-GCN YAML file; convert it '
            'first: python tools/convert_stgcn_yaml.py CONFIG.yaml > my.py')
    cfg = load_config(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    check_config(cfg, training=False, data_files=False)  # clips, not files
    model = build_model_from_config(cfg)
    if checkpoint is not None:
        load_weights(model, checkpoint, trusted)
    return model.to(device).eval(), cfg


def eval_pipeline_config(cfg: Config) -> List[Any]:
    """The per-sample pipeline of ``test_dataloader`` (else ``val``),
    looked up through dataset wrappers (``dataset=dict(dataset=...)``)."""
    for loader in ('test_dataloader', 'val_dataloader'):
        dataset = cfg.get(loader, {}).get('dataset')
        while isinstance(dataset, dict):
            if 'pipeline' in dataset:
                return list(dataset['pipeline'])
            dataset = dataset.get('dataset')
    return []


def build_test_pipeline(cfg: Config) -> Callable[[dict], dict]:
    """The config's test transforms, composed."""
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        return Compose(eval_pipeline_config(cfg))


def prepare_input(clip: Clip, pipeline: Callable[[dict], dict]) -> np.ndarray:
    """The clip after the test pipeline, float32 ``(C, T, V, M)`` (or
    ``(num_clips, C, T, V, M)`` for a pipeline sampling several clips)."""
    results = pipeline(
        dict(keypoint=np.array(clip.data, np.float32), sample_idx=0,
             sample_name=clip.name,
             label=-1 if clip.label is None else clip.label))
    if results is None:
        raise ValueError(f'{clip.path}: the test pipeline dropped the clip')
    return np.ascontiguousarray(results['keypoint'], np.float32)


@torch.no_grad()
def predict_clip(model: nn.Module, pipeline: Callable[[dict], dict],
                 clip: Clip,
                 amp_dtype: Optional[torch.dtype] = None) -> ClipPrediction:
    """Softmax scores of one clip (``model``: a recognizer, or an
    :class:`~stgcn_reg.deploy.OnnxRecognizer`), under ``amp_dtype``
    autocast when given (a recognizer only; see ``choose_amp_dtype``).

    Raises:
        ValueError: The clip does not fit the model (channels, joints),
            naming the clip's file.
    """
    device = model_device(model)
    inputs = torch.from_numpy(prepare_input(clip, pipeline))[None]
    try:
        with torch.autocast(device.type, dtype=amp_dtype,
                            enabled=amp_dtype is not None):
            logits = model(inputs.to(device), mode='tensor')
    except ValueError as error:
        raise ValueError(f'{clip.path} ({clip.name}): {error}') from error
    scores = torch.softmax(logits.float(), dim=1)[0].cpu().numpy()
    return ClipPrediction(clip, scores.astype(np.float64))


def model_device(model: nn.Module) -> torch.device:
    """Where the model's inputs go (an ONNX model: the CPU)."""
    if isinstance(model, nn.Module):
        return next(model.parameters()).device
    return getattr(model, 'device', torch.device('cpu'))


def model_layout(model: nn.Module) -> Optional[str]:
    """Layout name of the model's (first) skeleton graph, if any (an
    ONNX model's from its file)."""
    if not isinstance(model, nn.Module):
        return getattr(model, 'layout', None)
    for module in model.modules():
        layout = getattr(getattr(module, 'graph', None), 'layout', None)
        if layout is not None:
            return layout.name
    return None


def class_name(index: Optional[int],
               names: Optional[Sequence[str]] = None) -> Optional[str]:
    """``names[index]`` or the index as text (None for no index)."""
    if index is None:
        return None
    return names[index] if names and 0 <= index < len(names) else str(index)
