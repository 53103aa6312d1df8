"""Stop training with a clear message once the loss is NaN or infinite."""
import math
from typing import Any, Optional

import torch
from mmengine.hooks import Hook

from stgcn_reg.registry import HOOKS


class NonFiniteLossError(RuntimeError):
    """The training loss became NaN or infinite."""


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise instead of training on garbage once the loss is not finite.

    Checks ``outputs['loss']`` after every ``interval`` training
    iterations and names the epoch, iteration and value.

    Args:
        interval (int): Check every this many iterations. Defaults to 1.
    """

    priority = 'VERY_LOW'

    def __init__(self, interval: int = 1) -> None:
        if interval < 1:
            raise ValueError(
                f'NonFiniteLossHook: interval must be >= 1, got {interval}')
        self.interval = interval

    def after_train_iter(self,
                         runner: Any,
                         batch_idx: int,
                         data_batch: Optional[Any] = None,
                         outputs: Optional[dict] = None) -> None:
        """Check the loss of the iteration that just finished."""
        if not outputs or 'loss' not in outputs:
            return
        if not self.every_n_train_iters(runner, self.interval):
            return
        value = outputs['loss']
        loss = float(value.detach() if torch.is_tensor(value) else value)
        if not math.isfinite(loss):
            raise NonFiniteLossError(
                f'training loss became {loss} at epoch {runner.epoch + 1}, '
                f'iteration {runner.iter + 1} (batch {batch_idx + 1} of the '
                'epoch). Lower the learning rate, check the input data for '
                'NaN/inf, or resume from the last good checkpoint.')
