"""Under autocast in training the first ``fp32_blocks`` blocks compute in
float32 (the bf16 accuracy fix, docs/performance.md); eval runs all in
the autocast dtype."""
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from stgcn_reg.registry import MODELS


class ConvDtypes(TorchDispatchMode):
    """The input dtype of every convolution."""

    def __init__(self):
        super().__init__()
        self.convs = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func is torch.ops.aten.convolution.default:
            self.convs.append(args[0].dtype)
        return func(*args, **(kwargs or {}))


def test_float32_blocks_then_the_autocast_dtype(default_scope):
    backbone = MODELS.build(dict(
        type='STGCN', channels=(16, 16, 16), strides=(1, 1, 1),
        fp32_blocks=2, graph_cfg=dict(type='Graph', layout='ntu-rgb+d'),
        routes=dict(projection='onednn')))
    x = torch.randn(2, 3, 12, 25, 1)
    backbone.train()
    with ConvDtypes() as seen, torch.autocast('cpu', torch.bfloat16):
        out = backbone(x)
    # per block: the projection and the temporal conv (the first block's
    # 3 input channels keep the GEMM projection)
    assert seen.convs == [torch.float32] * 3 + [torch.bfloat16] * 2
    assert out.dtype == torch.bfloat16
    out.float().sum().backward()
    assert all(p.grad is not None and p.grad.dtype == torch.float32
               for p in backbone.parameters() if p.requires_grad)
    backbone.eval()
    with torch.no_grad(), ConvDtypes() as seen, torch.autocast(
            'cpu', torch.bfloat16):
        backbone(x)
    assert set(seen.convs) == {torch.bfloat16}
