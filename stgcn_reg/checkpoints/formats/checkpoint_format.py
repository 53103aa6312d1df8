"""What every checkpoint format offers: one row of the format table.

A format is a module with the names below (``NAME``, ``detect``, ...) at
its top level; :meth:`CheckpointFormat.of` reads them into a row.
"""
from collections import OrderedDict
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping, Optional

import torch

StateDict = Mapping[str, Any]


@dataclass(frozen=True)
class CheckpointFormat:
    """One checkpoint format: how to recognise it and convert it.

    Attributes:
        name (str): The format's name, e.g. ``'original ST-GCN'``.
        detect (callable): ``detect(loaded file) -> bool``; the file is the
            object ``torch.load`` gave (a checkpoint or a state dict).
        describe (callable): ``describe(state_dict) -> str``, the name for
            messages (e.g. MMAction2 or PYSKL by the head's keys).
        to_ours (callable): ``to_ours(state_dict, model,
            skip_mismatched_head=False)``: the tensors under our keys,
            checked against ``model``; raises a
            :class:`~stgcn_reg.checkpoints.errors.CheckpointMismatchError`.
        save_as_ours (callable, optional): ``save_as_ours(state_dict,
            source, out_file, model_cfg, skip_mismatched_head=False)``:
            converts and writes one of our checkpoints, returns it. None
            for our own format (nothing to convert).
        from_ours (callable, optional): ``from_ours(state_dict)``: our
            tensors under this format's keys (None: no export).
        model_config_from_weights (callable, optional):
            ``model_config_from_weights(state_dict, layout)``: our model
            config read from the shapes (None: not readable).
    """

    name: str
    detect: Callable[[Any], bool]
    describe: Callable[[StateDict], str]
    to_ours: Callable[..., 'OrderedDict[str, torch.Tensor]']
    save_as_ours: Optional[Callable[..., dict]] = None
    from_ours: Optional[Callable[..., StateDict]] = None
    model_config_from_weights: Optional[Callable[[StateDict, str],
                                                 dict]] = None

    @classmethod
    def of(cls, module: ModuleType) -> 'CheckpointFormat':
        """The row of a format module (optional names may be absent)."""
        return cls(
            name=module.NAME,
            detect=module.detect,
            describe=module.describe,
            to_ours=module.to_ours,
            save_as_ours=getattr(module, 'save_as_ours', None),
            from_ours=getattr(module, 'from_ours', None),
            model_config_from_weights=getattr(
                module, 'model_config_from_weights', None))
