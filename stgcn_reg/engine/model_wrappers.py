"""A DDP wrapper that runs on CPU (gloo) as well as on GPUs."""
from typing import Any

from mmengine.model import MMDistributedDataParallel
from torch import nn

from stgcn_reg.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class DeviceAwareDDP(MMDistributedDataParallel):
    """mmengine's DDP wrapper that drops ``device_ids`` for CPU modules.

    The Runner always passes ``device_ids=[LOCAL_RANK]``, which PyTorch
    refuses for a module on the CPU; CPU training with the gloo backend
    needs ``device_ids=None``.

    Args:
        module (nn.Module): The model to wrap.
        **kwargs: Arguments of ``MMDistributedDataParallel``.
    """

    def __init__(self, module: nn.Module, **kwargs: Any) -> None:
        first = next(module.parameters(), None)
        if first is not None and first.device.type == 'cpu':
            kwargs['device_ids'] = None
            kwargs.pop('output_device', None)
        super().__init__(module=module, **kwargs)
