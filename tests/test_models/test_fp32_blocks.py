"""Under autocast in training the first graph convolution (the raw
coordinates) and the first ``fp32_blocks`` blocks compute in float32
(the bf16 accuracy fixes, docs/performance.md); everything else, and
every layer in eval mode, runs in the autocast dtype."""
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from stgcn_reg.registry import MODELS


class MatmulDtypes(TorchDispatchMode):
    """The input dtype of every convolution and every matrix product
    (``mm``, ``bmm``: joint aggregations, GEMM projections), in call
    order."""

    def __init__(self):
        super().__init__()
        self.convs, self.matmuls = [], []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func is torch.ops.aten.convolution.default:
            self.convs.append(args[0].dtype)
        elif func.overloadpacket in (torch.ops.aten.bmm, torch.ops.aten.mm):
            self.matmuls.append(args[1].dtype)
        return func(*args, **(kwargs or {}))


def backbone_of(**settings):
    return MODELS.build(dict(
        type='STGCN', channels=(16, 16, 16), strides=(1, 1, 1),
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d'),
        routes=dict(projection='onednn'), **settings))


def run(backbone, train: bool):
    x = torch.randn(2, 3, 12, 25, 1)
    backbone.train(train)
    with torch.set_grad_enabled(train), MatmulDtypes() as seen, \
            torch.autocast('cpu', torch.bfloat16):
        out = backbone(x)
    if train:
        out.float().sum().backward()
        assert all(p.grad is not None and p.grad.dtype == torch.float32
                   for p in backbone.parameters() if p.requires_grad)
    return seen, out


def test_first_graph_conv_trains_in_float32(default_scope):
    backbone = backbone_of()
    seen, out = run(backbone, True)
    # forward first: the first block's joint bias, aggregation and GEMM
    # projection (3 input channels), then each block's joint bias and
    # aggregation (the others project by convolution here)
    assert seen.matmuls[:5] == [torch.float32] * 3 + [torch.bfloat16] * 2
    assert set(seen.convs) == {torch.bfloat16}
    assert out.dtype == torch.bfloat16
    seen, _ = run(backbone, False)
    assert set(seen.matmuls) == {torch.bfloat16}


def test_first_graph_conv_in_bf16_when_asked(default_scope):
    seen, _ = run(backbone_of(fp32_first_gcn=False), True)
    assert seen.matmuls[:5] == [torch.bfloat16] * 5


def test_float32_blocks_then_the_autocast_dtype(default_scope):
    backbone = backbone_of(fp32_blocks=2)
    seen, out = run(backbone, True)
    # per block: the projection and the temporal conv (the first block's
    # 3 input channels keep the GEMM projection)
    assert seen.convs[:5] == [torch.float32] * 3 + [torch.bfloat16] * 2
    assert out.dtype == torch.bfloat16
    seen, _ = run(backbone, False)
    assert set(seen.convs) == {torch.bfloat16}


def test_stgcn_pp_first_graph_conv_trains_in_float32(default_scope):
    backbone = MODELS.build(dict(
        type='STGCNPP', channels=(16, 16), strides=(1, 1),
        graph_cfg=dict(type='Graph', layout='ntu-rgb+d')))
    seen, out = run(backbone, True)
    # each block's 1x1 conv, then its aggregation; the first in float32
    assert seen.convs[:2] == [torch.float32] * 2  # its conv and shortcut
    assert seen.matmuls[:2] == [torch.float32, torch.bfloat16]
    assert out.dtype == torch.bfloat16
