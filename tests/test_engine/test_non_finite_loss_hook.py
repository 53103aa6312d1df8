"""The NaN/inf guard stops training with epoch, iteration and value."""
from unittest.mock import MagicMock

import pytest
import torch

from stgcn_reg.engine.hooks import NonFiniteLossHook
from stgcn_reg.engine.hooks.non_finite_loss_hook import NonFiniteLossError


def make_runner(epoch=2, iteration=41):
    runner = MagicMock()
    runner.epoch, runner.iter = epoch, iteration
    return runner


def test_finite_loss_passes():
    hook = NonFiniteLossHook()
    hook.after_train_iter(make_runner(), 0, outputs=dict(
        loss=torch.tensor(1.5)))


@pytest.mark.parametrize('value', [float('nan'), float('inf')])
def test_non_finite_loss_stops_with_context(value):
    hook = NonFiniteLossHook()
    with pytest.raises(NonFiniteLossError,
                       match=r'epoch 3, iteration 42 \(batch 5'):
        hook.after_train_iter(make_runner(), 4, outputs=dict(
            loss=torch.tensor(value)))


def test_interval_must_be_positive():
    with pytest.raises(ValueError, match='interval'):
        NonFiniteLossHook(interval=0)
