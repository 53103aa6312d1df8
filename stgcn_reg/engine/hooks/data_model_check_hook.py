"""Check before training that the data and the model fit together."""
from typing import Any, List, Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from stgcn_reg.registry import HOOKS


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
    where = f'{name} ({_source(dataset)})'
    if len(dataset) == 0:
        return [f'{where} is empty: no samples to train on']
    problems = []
    backbone = getattr(model, 'backbone', None)
    shape = tuple(dataset[0]['inputs'].shape)  # (C, T, V, M)
    in_channels = getattr(backbone, 'in_channels', None)
    if in_channels is not None and shape[0] != in_channels:
        problems.append(
            f'{where} has C={shape[0]} channels (sample shape {shape}) but '
            f'model.backbone.in_channels is {in_channels}')
    num_node = getattr(backbone, 'num_node', None)
    if num_node is not None and len(shape) == 4 and shape[2] != num_node:
        layout = getattr(getattr(backbone, 'graph', None), 'layout', None)
        problems.append(
            f'{where} has V={shape[2]} joints (sample shape {shape}) but '
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


@HOOKS.register_module()
class DataModelCheckHook(Hook):
    """Stop before the first iteration when data and model do not fit.

    Checks the training and validation datasets: channels against
    ``backbone.in_channels``, joints against the graph layout, labels
    against ``cls_head.num_classes``, and that neither is empty. The error
    names the dataset file and both values.
    """

    priority = 'VERY_HIGH'

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
