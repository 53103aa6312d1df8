"""ST-GCN++ backbone and its layers: structure, parameter count, behaviour."""
import pytest
import torch

from stgcn_reg.graphs import Graph
from stgcn_reg.models.backbones import STGCNPP
from stgcn_reg.models.layers import AdaptiveGraphConv, MultiScaleTemporalConv
from stgcn_reg.registry import MODELS

# PYSKL's / MMAction2's ST-GCN++ graph
NTU_GRAPH = dict(type='Graph', layout='nturgb+d', mode='spatial')


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def pyskl_stgcnpp_count(num_node=25, num_partitions=3, in_channels=3) -> int:
    """Parameters of PYSKL's STGCN with gcn_adaptive='init',
    gcn_with_res=True, tcn_type='mstcn', counted layer by layer from its
    published structure (pyskl/models/gcns/stgcn.py, utils/gcn.py,
    utils/tcn.py)."""

    def conv(cin, cout, k=1):
        return cin * cout * k + cout

    def bn(c):
        return 2 * c

    def unit_gcn(cin, cout):
        total = num_partitions * num_node * num_node  # A, a parameter
        total += conv(cin, num_partitions * cout) + bn(cout)
        if cin != cout:  # the shortcut inside the unit
            total += conv(cin, cout) + bn(cout)
        return total

    def mstcn(c):
        mid = c // 6
        widths = [c - 5 * mid] + [mid] * 5
        total = sum(conv(c, w) + bn(w) + conv(w, w, 3) for w in widths[:4])
        total += conv(c, widths[4]) + bn(widths[4])  # max-pool branch
        total += conv(c, widths[5])  # 1x1 branch
        return total + bn(c) + conv(c, c) + bn(c)  # transform, bn

    channels = [64, 64, 64, 64, 128, 128, 128, 256, 256, 256]
    strides = [1, 1, 1, 1, 2, 1, 1, 2, 1, 1]
    total = bn(in_channels * num_node)  # data_bn
    cin = in_channels
    for index, (cout, stride) in enumerate(zip(channels, strides)):
        total += unit_gcn(cin, cout) + mstcn(cout)
        if index > 0 and (cin != cout or stride != 1):
            total += conv(cin, cout) + bn(cout)  # block shortcut
        cin = cout
    return total


def test_parameter_count_matches_pyskl(default_scope):
    backbone = STGCNPP(NTU_GRAPH)
    assert pyskl_stgcnpp_count() == 1_387_724
    assert count(backbone) == 1_387_724
    # MMAction2's model zoo lists ST-GCN++ with 1.39M parameters
    assert round(count(backbone) / 1e6, 2) == 1.39
    model = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCNPP', graph_cfg=NTU_GRAPH),
        cls_head=dict(type='ClsHead', num_classes=60, in_channels=256)))
    assert count(model) == 1_387_724 + 256 * 60 + 60


def test_output_shape_and_strides(default_scope):
    backbone = STGCNPP(NTU_GRAPH).eval()
    with torch.no_grad():
        out = backbone(torch.randn(2, 3, 20, 25, 2))
    assert out.shape == (2, 2, 256, 5, 25)


def test_every_block_learns_its_own_graph_from_a(default_scope):
    backbone = STGCNPP(NTU_GRAPH, channels=(8, 8), strides=(1, 1))
    expected = torch.tensor(Graph(layout='nturgb+d', mode='spatial').A)
    assert expected[0].equal(torch.eye(25))  # identity, inward, outward
    graphs = [block.gcn.A for block in backbone.blocks]
    for graph in graphs:
        assert isinstance(graph, torch.nn.Parameter)
        torch.testing.assert_close(graph.data, expected)
    assert graphs[0].data_ptr() != graphs[1].data_ptr()
    backbone(torch.randn(2, 3, 6, 25, 1)).sum().backward()
    assert all(graph.grad is not None and graph.grad.abs().sum() > 0
               for graph in graphs)
    assert not any('edge_importance' in name
                   for name, _ in backbone.named_parameters())


def test_graph_conv_adds_its_input_as_a_shortcut():
    adjacency = torch.rand(3, 5, 5)
    unit = AdaptiveGraphConv(4, 4, adjacency).eval()
    no_shortcut = AdaptiveGraphConv(4, 4, adjacency, residual=False).eval()
    for layer in (unit, no_shortcut):
        torch.nn.init.zeros_(layer.conv.weight)
        torch.nn.init.zeros_(layer.conv.bias)
    x = torch.randn(2, 4, 3, 5)
    with torch.no_grad():
        torch.testing.assert_close(unit(x), torch.relu(x))
        assert not no_shortcut(x).any()
    widened = AdaptiveGraphConv(4, 6, adjacency)
    assert isinstance(widened.down, torch.nn.Sequential)


def test_graph_conv_aggregates_with_the_learned_graph():
    adjacency = torch.zeros(1, 3, 3)
    adjacency[0, 0, 2] = 1.0  # joint 0 feeds joint 2 only
    unit = AdaptiveGraphConv(1, 1, adjacency, residual=False).eval()
    torch.nn.init.ones_(unit.conv.weight)
    torch.nn.init.zeros_(unit.conv.bias)
    x = torch.tensor([[[[1.0, 5.0, 7.0]]]])  # (N, C, T, V)
    with torch.no_grad():
        out = unit(x)
    scale = 1 / (1 + unit.bn.eps) ** 0.5
    torch.testing.assert_close(out, torch.tensor([[[[0.0, 0.0, scale]]]]))
    with pytest.raises(ValueError, match='adjacency'):
        AdaptiveGraphConv(1, 1, torch.zeros(3, 3))


def test_multiscale_branches_and_receptive_field():
    torch.manual_seed(0)
    tcn = MultiScaleTemporalConv(16, 16).eval()
    assert len(tcn.branches) == 6  # dilations 1-4, max pool, 1x1
    widths = [branch[0].out_channels if isinstance(
        branch, torch.nn.Sequential) else branch.out_channels
        for branch in tcn.branches]
    assert widths == [6, 2, 2, 2, 2, 2] and sum(widths) == 16
    dilations = [tcn.branches[i][-1].dilation[0] for i in range(4)]
    assert dilations == [1, 2, 3, 4]
    assert isinstance(tcn.branches[4][-1], torch.nn.MaxPool2d)
    # an impulse at frame 10 changes frames 10 - 4 .. 10 + 4 only (the
    # dilation-4 branch reaches furthest)
    wide = MultiScaleTemporalConv(48, 48).eval()
    base = torch.zeros(1, 48, 21, 1)
    impulse = base.clone()
    impulse[0, :, 10, 0] = torch.randn(48) * 5
    with torch.no_grad():
        change = (wide(impulse) - wide(base)).abs().sum(dim=(0, 1, 3))
    assert torch.nonzero(change).flatten().tolist() == list(range(6, 15))


def test_multiscale_stride_and_bad_sizes():
    tcn = MultiScaleTemporalConv(12, 24, stride=2)
    assert tcn(torch.randn(2, 12, 9, 3)).shape == (2, 24, 5, 3)
    with pytest.raises(ValueError, match='branches'):
        MultiScaleTemporalConv(4, 5)
    with pytest.raises(ValueError, match='odd'):
        MultiScaleTemporalConv(12, 12, kernel_size=4)


def test_wrong_input_is_refused(default_scope):
    backbone = STGCNPP(NTU_GRAPH, channels=(8, ), strides=(1, ))
    with pytest.raises(ValueError, match='V=25'):
        backbone(torch.randn(1, 3, 4, 18, 1))
    with pytest.raises(ValueError, match=r'\(N, C, T, V, M\)'):
        backbone(torch.randn(3, 4, 25, 1))
    with pytest.raises(ValueError, match='equal'):
        STGCNPP(NTU_GRAPH, channels=(8, 8), strides=(1, ))
