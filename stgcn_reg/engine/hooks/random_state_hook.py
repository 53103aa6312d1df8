"""Save and restore every random generator, so resuming is exact."""
import random
from typing import Any, Dict, Optional

import numpy as np
import torch
from mmengine.hooks import Hook

from stgcn_reg.registry import HOOKS

STATE_KEY = 'random_states'


def capture_random_states() -> Dict[str, Any]:
    """States of Python's, numpy's and torch's (CPU and CUDA) generators."""
    states = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def restore_random_states(states: Dict[str, Any]) -> None:
    """Inverse of :func:`capture_random_states`."""
    random.setstate(_as_python_state(states['python']))
    np.random.set_state(states['numpy'])
    torch.set_rng_state(states['torch'].cpu())
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


def _as_python_state(state: Any) -> tuple:
    """``random.setstate`` wants tuples; a checkpoint may hold lists."""
    version, internal, gauss = state
    return version, tuple(internal), gauss


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make ``--resume`` continue the very same random streams.

    mmengine's checkpoints do not hold the generators' states, so a resumed
    run draws other dropout masks and augmentations than an uninterrupted
    one. This hook stores them in every checkpoint and restores them on
    resume; validation runs on a copy of the states, so it does not shift
    the training streams either (in a resumed run it may not happen at the
    same place). With this, training N epochs straight and N/2 + resume +
    N/2 give the same weights on a deterministic device, provided the
    dataloader workers are not persistent (their own generators live in
    the worker processes).
    """

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self._before_val: Optional[Dict[str, Any]] = None
        self._resumed: Optional[Dict[str, Any]] = None

    def before_save_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """Store the generators' states in the checkpoint."""
        checkpoint[STATE_KEY] = capture_random_states()

    def after_load_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """On resume (not ``load_from``), keep the stored states."""
        if getattr(runner, '_resume', False) and STATE_KEY in checkpoint:
            self._resumed = checkpoint[STATE_KEY]

    def before_train(self, runner: Any) -> None:
        """Restore them last, after the Runner has re-seeded on resume."""
        if self._resumed is not None:
            restore_random_states(self._resumed)
            self._resumed = None

    def before_val_epoch(self, runner: Any) -> None:
        """Remember the training streams' states."""
        self._before_val = capture_random_states()

    def after_val_epoch(self,
                        runner: Any,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Give the training streams back their states."""
        if self._before_val is not None:
            restore_random_states(self._before_val)
            self._before_val = None
