"""Under autocast in training the first ``fp32_blocks`` blocks compute in
float32 and hand over to the autocast dtype once; eval runs all in it."""
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from stgcn_reg.registry import MODELS


class ConvAndAddDtypes(TorchDispatchMode):
    """The input dtype of every convolution, and adds that mix dtypes."""

    def __init__(self):
        super().__init__()
        self.convs, self.mixed_adds = [], 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func is torch.ops.aten.convolution.default:
            self.convs.append(args[0].dtype)
        if func in (torch.ops.aten.add_.Tensor, torch.ops.aten.add.Tensor):
            dtypes = {a.dtype for a in args if isinstance(a, torch.Tensor)
                      and a.is_floating_point()}
            self.mixed_adds += len(dtypes) > 1
        return func(*args, **(kwargs or {}))


def test_float32_blocks_then_one_handover(default_scope):
    backbone = MODELS.build(dict(
        type='STGCN', channels=(16, 16, 16), strides=(1, 1, 1),
        fp32_blocks=2, graph_cfg=dict(type='Graph', layout='ntu-rgb+d'),
        routes=dict(projection='onednn')))
    x = torch.randn(2, 3, 12, 25, 1)
    backbone.train()
    with ConvAndAddDtypes() as seen, torch.autocast('cpu', torch.bfloat16):
        out = backbone(x)
    # per block: the projection and the temporal conv (the first block's
    # 3 input channels keep the GEMM projection)
    assert seen.convs == [torch.float32] * 3 + [torch.bfloat16] * 2
    assert seen.mixed_adds == 0
    assert out.dtype == torch.bfloat16
    out.float().sum().backward()
    assert all(p.grad is not None and p.grad.dtype == torch.float32
               for p in backbone.parameters() if p.requires_grad)
    backbone.eval()
    with torch.no_grad(), ConvAndAddDtypes() as seen, torch.autocast(
            'cpu', torch.bfloat16):
        backbone(x)
    assert set(seen.convs) == {torch.bfloat16}
