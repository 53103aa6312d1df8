"""Check that the data, the checkpoint and the model fit together."""
import re
from typing import Any, List, Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from stgcn_reg.checkpoints.errors import CheckpointMismatchError
from stgcn_reg.checkpoints.formats.ours import (
    checkpoint_mismatches,
    listed_mismatches,
)
from stgcn_reg.engine.last_checkpoint import read_last_checkpoint
from stgcn_reg.registry import HOOKS

# classifier tensors, e.g. 'cls_head.fc.weight', 'motion.cls_head.fc.bias'
_HEAD_KEY = re.compile(r'(^|\.)cls_head\.')


class DataModelMismatchError(ValueError):
    """The data's shape or labels do not fit the model's settings."""


def _source(dataset: Any) -> str:
    """The file a dataset reads, for messages."""
    for key in ('data_path', 'ann_file'):
        value = getattr(dataset, key, None)
        if value:
            return f'{key} {value!r}'
    return type(dataset).__name__


def check_dataset_against_model(dataset: Any, model: Any,
                                name: str) -> List[str]:
    """Problems between ``dataset`` and ``model``; empty when they fit.

    Compares the channel count C with ``backbone.in_channels``, the joint
    count V with the backbone's graph, and the largest label with
    ``cls_head.num_classes``.
    """
    if is_model_wrapper(model):
        model = model.module
    # a two-stream model checks its streams' shared settings
    model = getattr(model, 'origin', model)
    where = f'{name} ({_source(dataset)})'
    if len(dataset) == 0:
        return [f'{where} is empty: no samples to train on']
    problems = []
    backbone = getattr(model, 'backbone', None)
    # (C, T, V, M), or (num_clips, C, T, V, M) for multi-clip testing
    shape = tuple(dataset[0]['inputs'].shape)
    channels = shape[-4] if len(shape) >= 4 else shape[0]
    joints = shape[-2] if len(shape) >= 4 else None
    in_channels = getattr(backbone, 'in_channels', None)
    if in_channels is not None and channels != in_channels:
        problems.append(
            f'{where} has C={channels} channels (sample shape {shape}) but '
            f'model.backbone.in_channels is {in_channels}')
    num_node = getattr(backbone, 'num_node', None)
    if num_node is not None and len(shape) >= 4 and joints != num_node:
        layout = getattr(getattr(backbone, 'graph', None), 'layout', None)
        problems.append(
            f'{where} has V={joints} joints (sample shape {shape}) but '
            f'the model graph {getattr(layout, "name", "")!r} has '
            f'{num_node}; set model.backbone.graph_cfg.layout')
    num_classes = getattr(getattr(model, 'cls_head', None), 'num_classes',
                          None)
    top = _largest_label(dataset)
    if num_classes is not None and top is not None and top >= num_classes:
        problems.append(
            f'{where} has labels up to {top} but '
            f'model.cls_head.num_classes is {num_classes}; set it to at '
            f'least {top + 1}')
    return problems


def _largest_label(dataset: Any) -> Optional[int]:
    labels = [
        dataset.get_data_info(i).get('label') for i in range(len(dataset))
    ]
    labels = [label for label in labels if isinstance(label, int)]
    return max(labels) if labels else None


def _checkpoint_name(runner: Any) -> str:
    """The file the runner is loading (auto-resume finds the latest)."""
    name = getattr(runner, '_load_from', None)
    if name is None and getattr(runner, '_resume', False):
        name = read_last_checkpoint(runner.work_dir)
    return str(name)


@HOOKS.register_module()
class DataModelCheckHook(Hook):
    """Stop before the first iteration when data and model do not fit.

    Checks the training and validation datasets: channels against
    ``backbone.in_channels``, joints against the graph layout, labels
    against ``cls_head.num_classes``, and that neither is empty. The error
    names the dataset file and both values.

    Also stops when a checkpoint (``load_from``, ``--resume``, the
    checkpoint of ``tools/test.py``) was saved from another model: mmengine
    only warns and goes on with partly random weights. Pretrained weights
    for training may differ in ``cls_head`` only (fine-tuning on other
    classes); resuming and testing need every tensor to fit.
    """

    priority = 'VERY_HIGH'

    def after_load_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """Check the loaded checkpoint's tensors against the model."""
        state_dict = checkpoint.get('state_dict', checkpoint)
        problems = checkpoint_mismatches(state_dict, runner.model)
        fine_tuning = (not getattr(runner, '_resume', False) and isinstance(
            getattr(runner, '_train_loop', None), BaseLoop))
        if fine_tuning:
            problems = {
                key: why
                for key, why in problems.items()
                if not _HEAD_KEY.search(key)
            }
        if not problems:
            return
        raise CheckpointMismatchError(
            f'checkpoint {_checkpoint_name(runner)!r} does not fit the model '
            f'built from the config ({len(problems)} tensors differ):\n  - '
            + listed_mismatches(problems) + '\nIt was saved from another '
            'model; use the config it was trained with (model.backbone '
            'channels, in_channels and graph layout, '
            'model.cls_head.num_classes).')

    def before_train(self, runner: Any) -> None:
        """Check the train (and validation) data against the model."""
        problems = check_dataset_against_model(
            runner.train_dataloader.dataset, runner.model,
            'train_dataloader.dataset')
        val_loop = getattr(runner, '_val_loop', None)
        if val_loop is not None and hasattr(val_loop, 'dataloader'):
            problems += check_dataset_against_model(
                val_loop.dataloader.dataset, runner.model,
                'val_dataloader.dataset')
        if problems:
            raise DataModelMismatchError(
                'data and model do not fit:\n  - ' + '\n  - '.join(problems))
