"""The graph convolution's ONNX form (MatMul, dilated conv, joint bias)
against the eager layers it replaces while exporting."""
import io

import numpy as np
import pytest
import torch

from stgcn_reg.models.layers import (
    AdaptiveGraphConv,
    GraphConv,
    STGCNBlock,
)
from stgcn_reg.models.layers.export_graph_conv import onnx_graph_conv
from stgcn_reg.models.layers.temporal_conv import bn_affine


def _adjacency(k: int, v: int, seed: int = 0) -> torch.Tensor:
    return torch.rand(k, v, v, generator=torch.Generator().manual_seed(seed))


def _randomise_bns(module: torch.nn.Module, seed: int = 1) -> None:
    generator = torch.Generator().manual_seed(seed)
    for bn in module.modules():
        if isinstance(bn, torch.nn.BatchNorm2d):
            bn.running_mean.normal_(0, 0.3, generator=generator)
            bn.running_var.uniform_(0.5, 2.0, generator=generator)
            bn.weight.data.uniform_(0.5, 1.5, generator=generator)
            bn.bias.data.normal_(0, 0.3, generator=generator)


@pytest.mark.parametrize('k, bias', [(3, True), (1, True), (3, False)])
def test_matches_the_conv_then_einsum_route(k, bias):
    gcn = GraphConv(5, 7, k, bias=bias)
    if bias:
        torch.nn.init.normal_(gcn.conv.bias)
    adjacency = _adjacency(k, 6)
    x = torch.randn(2, 5, 4, 6)
    with torch.no_grad():
        expected = gcn(x, adjacency)
        assert torch.allclose(onnx_graph_conv(x, gcn.conv, adjacency),
                              expected, atol=1e-5)


def test_folds_a_batchnorm_after_it():
    gcn = GraphConv(4, 6, 3)
    bn = torch.nn.BatchNorm2d(6).eval()
    _randomise_bns(bn)
    adjacency = _adjacency(3, 5)
    x = torch.randn(3, 4, 8, 5)
    with torch.no_grad():
        expected = bn(gcn(x, adjacency))
        folded = onnx_graph_conv(x, gcn.conv, adjacency, *bn_affine(bn))
    assert torch.allclose(folded, expected, atol=1e-5)


class _WithGraph(torch.nn.Module):
    """A block and its adjacency as a one-input module, for tracing."""

    def __init__(self, block: torch.nn.Module,
                 adjacency: torch.Tensor) -> None:
        super().__init__()
        self.block = block
        self.register_buffer('adjacency', adjacency)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if isinstance(self.block, AdaptiveGraphConv):
            return self.block(x)
        return self.block(x, self.adjacency)


@pytest.mark.filterwarnings('ignore::DeprecationWarning')
@pytest.mark.parametrize('kind', ['stgcn_block', 'strided_block',
                                  'adaptive'])
def test_exported_layers_match_eager_in_onnx_runtime(kind):
    onnx = pytest.importorskip('onnx')
    ort = pytest.importorskip('onnxruntime')
    adjacency = _adjacency(3, 6)
    block = dict(
        stgcn_block=lambda: STGCNBlock(8, 8, 3),
        strided_block=lambda: STGCNBlock(4, 8, 3, stride=2),
        adaptive=lambda: AdaptiveGraphConv(4, 8, adjacency))[kind]()
    _randomise_bns(block)
    model = _WithGraph(block, adjacency).eval()
    channels = 8 if kind == 'stgcn_block' else 4
    buffer = io.BytesIO()
    torch.onnx.export(model, (torch.randn(1, channels, 10, 6), ), buffer,
                      input_names=['x'], opset_version=17,
                      dynamic_axes={'x': {0: 'N', 2: 'T'}}, dynamo=False)
    ops = [node.op_type for node in onnx.load_from_string(
        buffer.getvalue()).graph.node]
    # the BN after the aggregation folded: only a shortcut's BN remains
    assert ops.count('BatchNormalization') <= 1 and 'Einsum' not in ops
    session = ort.InferenceSession(buffer.getvalue(),
                                   providers=['CPUExecutionProvider'])
    x = torch.randn(3, channels, 14, 6)
    with torch.no_grad():
        expected = model(x).numpy()
    got = session.run(None, {'x': x.numpy()})[0]
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() <= 1e-4 * np.abs(expected).max()
