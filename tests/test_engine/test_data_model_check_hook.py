"""DataModelCheckHook: checkpoints of another model are refused."""
from unittest.mock import MagicMock

import pytest
import torch
from mmengine.runner import BaseLoop
from torch import nn

from stgcn_reg.engine.hooks import CheckpointMismatchError, DataModelCheckHook


class TinyRecognizer(nn.Module):

    def __init__(self, num_classes: int = 4, width: int = 3) -> None:
        super().__init__()
        self.backbone = nn.Linear(2, width)
        self.cls_head = nn.Linear(width, num_classes)


def make_runner(model: nn.Module, training: bool, resume: bool = False):
    runner = MagicMock()
    runner.model = model
    runner._resume = resume
    runner._load_from = 'pretrained.pth'
    runner._train_loop = MagicMock(spec=BaseLoop) if training else dict()
    return runner


def checkpoint_of(model: nn.Module) -> dict:
    return dict(state_dict=model.state_dict(), meta=dict(epoch=1))


def test_same_model_passes():
    model = TinyRecognizer()
    for training, resume in ((True, False), (True, True), (False, False)):
        DataModelCheckHook().after_load_checkpoint(
            make_runner(model, training, resume), checkpoint_of(model))


@pytest.mark.parametrize('training, resume', [(False, False),
                                              (True, True)])
def test_other_head_is_refused_for_testing_and_resuming(training, resume):
    runner = make_runner(TinyRecognizer(num_classes=5), training, resume)
    with pytest.raises(CheckpointMismatchError) as error:
        DataModelCheckHook().after_load_checkpoint(
            runner, checkpoint_of(TinyRecognizer(num_classes=4)))
    assert "checkpoint 'pretrained.pth' does not fit" in str(error.value)
    assert ('cls_head.weight: shape (4, 3) in the checkpoint, (5, 3) in the '
            'model' in str(error.value))


def test_pretrained_weights_may_differ_in_the_head_only():
    runner = make_runner(TinyRecognizer(num_classes=5), training=True)
    hook = DataModelCheckHook()
    hook.after_load_checkpoint(runner,
                               checkpoint_of(TinyRecognizer(num_classes=4)))
    with pytest.raises(CheckpointMismatchError, match='backbone.weight'):
        hook.after_load_checkpoint(runner,
                                   checkpoint_of(TinyRecognizer(5, width=6)))


def test_missing_and_unexpected_keys_and_ddp_prefix():
    model = TinyRecognizer()
    state = {f'module.{k}': v for k, v in model.state_dict().items()}
    runner = make_runner(model, training=False)
    DataModelCheckHook().after_load_checkpoint(runner, dict(state_dict=state))
    state['module.extra'] = torch.zeros(1)
    del state['module.backbone.bias']
    with pytest.raises(CheckpointMismatchError) as error:
        DataModelCheckHook().after_load_checkpoint(runner,
                                                   dict(state_dict=state))
    assert ('backbone.bias: in the model but not in the checkpoint'
            in str(error.value))
    assert 'extra: in the checkpoint but not in the model' in str(error.value)


def test_two_stream_model_is_checked_through_its_streams(
        default_scope, make_skeleton_files):
    from stgcn_reg.datasets import SkeletonDataset
    from stgcn_reg.engine.hooks import check_dataset_against_model
    from stgcn_reg.registry import MODELS
    model = MODELS.build(dict(
        type='TwoStreamRecognizer',
        backbone=dict(type='STGCN', graph_cfg=dict(type='Graph',
                                                   layout='ntu-rgb+d'),
                      channels=(8, ), strides=(1, )),
        cls_head=dict(type='ClsHead', num_classes=2, in_channels=8)))
    data_path, label_path = make_skeleton_files(num_samples=4, num_classes=4)
    problems = check_dataset_against_model(
        SkeletonDataset(data_path, label_path), model, 'train')
    assert any('num_classes is 2' in problem for problem in problems)
