"""Save and restore every random generator, so resuming is exact."""
import random
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log

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


def states_for_rank(stored: Any, rank: int, world_size: int) -> Dict:
    """This rank's generator states from a checkpoint's entry.

    The entry is a list with one state per rank, or (older checkpoints,
    one process) a single state for every rank.
    """
    if isinstance(stored, dict):
        return stored
    if len(stored) != world_size:
        print_log(
            f'the checkpoint holds random states of {len(stored)} '
            f'processes, this run has {world_size}: the resumed run draws '
            'other random numbers than an uninterrupted one would',
            logger='current', level=30)
    return stored[rank % len(stored)]


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make ``--resume`` continue the very same random streams.

    mmengine's checkpoints do not hold the generators' states, so a resumed
    run draws other dropout masks and augmentations than an uninterrupted
    one. This hook stores every rank's states in every checkpoint and
    restores them on resume. Validation runs on a copy of the states, so
    it does not shift the training streams, and a checkpoint saved after
    validation (mmengine saves ``epoch_N.pth`` again when epoch N is a new
    best) still holds the training states. With this, training N epochs
    straight and N/2 + resume + N/2 give the same weights on a
    deterministic device, provided the dataloader workers are not
    persistent (their own generators live in the worker processes).

    Priority ``LOW``: after the other hooks' ``after_train_epoch`` work
    and before the checkpoint hook (``VERY_LOW``) saves.
    """

    priority = 'LOW'

    def __init__(self) -> None:
        self._before_val: Optional[Dict[str, Any]] = None
        self._resumed: Optional[Dict[str, Any]] = None
        # (iteration, one state per rank) gathered at the last epoch end
        self._gathered: Optional[Tuple[int, List[Dict[str, Any]]]] = None

    def after_train_epoch(self, runner: Any) -> None:
        """Collect every rank's states for the checkpoints saved now."""
        if get_world_size() > 1:
            self._gathered = (runner.iter,
                              all_gather_object(capture_random_states()))

    def before_save_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """Store the training streams' states, one entry per rank."""
        own = self._before_val or capture_random_states()
        if self._gathered is not None and self._gathered[0] == runner.iter:
            states = list(self._gathered[1])
            states[get_rank()] = own
        else:
            states = [own]
        checkpoint[STATE_KEY] = states

    def after_load_checkpoint(self, runner: Any, checkpoint: dict) -> None:
        """On resume (not ``load_from``), keep this rank's stored states."""
        if getattr(runner, '_resume', False) and STATE_KEY in checkpoint:
            self._resumed = states_for_rank(
                checkpoint[STATE_KEY], get_rank(), get_world_size())

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
