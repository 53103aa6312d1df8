"""One model across ranks: the same BatchNorm statistics on every rank."""
from typing import Any, List

import torch
import torch.distributed as dist
from mmengine.dist import is_distributed
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from stgcn_reg.registry import HOOKS


def average_buffers(buffers: List[torch.Tensor]) -> None:
    """Floating buffers become their mean over ranks, others rank 0's.

    One collective per dtype: the buffers are packed into one tensor.
    """
    by_dtype = {}
    for buffer in buffers:
        by_dtype.setdefault(buffer.dtype, []).append(buffer)
    world_size = dist.get_world_size()
    for dtype, group in by_dtype.items():
        packed = torch.cat([b.detach().reshape(-1) for b in group])
        if dtype.is_floating_point or dtype.is_complex:
            dist.all_reduce(packed)
            packed /= world_size
        else:
            dist.broadcast(packed, src=0)
        offset = 0
        for buffer in group:
            count = buffer.numel()
            buffer.copy_(packed[offset:offset + count].view_as(buffer))
            offset += count


@HOOKS.register_module()
class SyncNormStatsHook(Hook):
    """Average BatchNorm running statistics over ranks at each epoch end.

    DDP keeps parameters equal on every rank, but with
    ``broadcast_buffers=False`` each rank's BatchNorm running mean and
    variance follow its own share of the data. Only rank 0's are saved,
    while in-training validation runs every rank's share with its own
    statistics, so the logged metric would not be that of the saved
    checkpoint. Synchronised after each training epoch (before the
    checkpoint hook saves) and, if training stopped mid-epoch, before
    validation. Does nothing in a single process.
    """

    priority = 'NORMAL'

    def __init__(self) -> None:
        self._synced = True

    def after_train_iter(self, runner: Any, batch_idx: int,
                         data_batch: Any = None, outputs: Any = None) -> None:
        """The statistics changed."""
        self._synced = False

    def after_train_epoch(self, runner: Any) -> None:
        """Give every rank the same statistics before saving."""
        self._sync(runner)

    def before_val_epoch(self, runner: Any) -> None:
        """Validate with the statistics that the checkpoint holds."""
        self._sync(runner)

    def _sync(self, runner: Any) -> None:
        if self._synced or not is_distributed():
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        buffers = [b for b in model.buffers() if b.numel()]
        if buffers:
            average_buffers(buffers)
        self._synced = True
