"""Adjacency tensors of the ST-GCN graph, checked by hand and by counts."""
import numpy as np
import pytest

from stgcn_reg.graphs import Graph, get_layout
from stgcn_reg.registry import GRAPHS

# chain 0-1-2-3-4 with centre 1: joints 3 and 4 are beyond max_hop=1
CHAIN = dict(num_node=5, edges=[(0, 1), (1, 2), (2, 3), (3, 4)], center=1)
DEGREE = np.array([2, 3, 3, 3, 2], dtype=float)  # with self-loops


def chain_graph(**kwargs) -> Graph:
    return Graph(layout=None, **CHAIN, **kwargs)


def test_uniform_is_column_normalised_adjacency():
    adjacency = chain_graph(strategy='uniform').A
    expected = np.eye(5) + np.eye(5, k=1) + np.eye(5, k=-1)
    np.testing.assert_allclose(adjacency[0], expected / DEGREE, rtol=1e-6)


def test_distance_splits_self_loops_and_neighbours():
    adjacency = chain_graph(strategy='distance').A
    assert adjacency.shape == (2, 5, 5)
    np.testing.assert_allclose(adjacency[0], np.diag(1 / DEGREE), rtol=1e-6)
    np.testing.assert_allclose(
        adjacency[1], (np.eye(5, k=1) + np.eye(5, k=-1)) / DEGREE, rtol=1e-6)


def test_spatial_reproduces_reference_quirk_by_hand():
    adjacency = chain_graph(strategy='spatial').A
    root = np.diag(1 / DEGREE)
    # A[k, source, target]; centripetal = source farther from the centre
    close = np.zeros((5, 5))
    close[0, 1] = 1 / 3
    close[2, 1] = 1 / 3
    close[3, 2] = 1 / 3
    # 3 and 4 are both at "infinite" distance: both directions land here
    close[3, 4] = 1 / 2
    close[4, 3] = 1 / 3
    far = np.zeros((5, 5))
    far[1, 0] = 1 / 2
    far[1, 2] = 1 / 3
    far[2, 3] = 1 / 3
    np.testing.assert_allclose(adjacency, np.stack([root, close, far]),
                               rtol=1e-6)


def test_exact_center_distance_moves_the_far_bone_outward():
    adjacency = chain_graph(strategy='spatial', exact_center_distance=True).A
    assert adjacency[1, 3, 4] == 0
    assert adjacency[2, 3, 4] == pytest.approx(1 / 2)
    assert adjacency[1, 4, 3] == pytest.approx(1 / 3)
    assert [int((a != 0).sum()) for a in adjacency] == [5, 4, 4]


@pytest.mark.parametrize('layout,num_node,counts', [
    ('ntu-rgb+d', 25, [25, 40, 8]),
    ('nturgb+d', 25, [25, 40, 8]),
    ('openpose', 18, [18, 25, 9]),
])
def test_spatial_counts_of_builtin_layouts(layout, num_node, counts):
    adjacency = Graph(layout, 'spatial').A
    assert adjacency.shape == (3, num_node, num_node)
    assert adjacency.dtype == np.float32
    assert [int((a != 0).sum()) for a in adjacency] == counts
    np.testing.assert_allclose(adjacency.sum(axis=(0, 1)), 1, rtol=1e-6)


@pytest.mark.parametrize('layout,num_node', [('ntu-rgb+d', 25),
                                             ('nturgb+d', 25),
                                             ('openpose', 18),
                                             ('ntu_edge', 24), ('coco', 17)])
@pytest.mark.parametrize('strategy', ['uniform', 'distance', 'spatial'])
def test_every_layout_and_strategy_is_normalised(layout, num_node, strategy):
    adjacency = Graph(layout, strategy).A
    assert adjacency.shape[1:] == (num_node, num_node)
    np.testing.assert_allclose(adjacency.sum(axis=(0, 1)), 1, rtol=1e-6)
    # symmetric support: bones go both ways
    support = adjacency.sum(axis=0) != 0
    assert (support == support.T).all()


def test_layout_facts():
    assert get_layout('openpose').center == 1
    assert get_layout('ntu-rgb+d').center == 20  # joint 21, 1-based
    assert len(get_layout('ntu-rgb+d').edges) == 24
    assert get_layout('ntu_edge').num_node == 24
    assert get_layout('coco').num_node == 17


def test_the_two_ntu_hand_graphs_differ():
    # the reference chains hand - thumb - tip; MMAction2 joins both to the
    # hand. Same counts per partition, other entries: weights do not fit.
    reference, mmaction = Graph('ntu-rgb+d').A, Graph('nturgb+d').A
    one_based = {(i + 1, j + 1) for i, j in get_layout('nturgb+d').edges}
    assert {(22, 8), (23, 8), (24, 12), (25, 12)} <= one_based
    assert [int(((a != 0) != (b != 0)).sum())
            for a, b in zip(reference, mmaction)] == [0, 8, 0]
    # the hand (joint 8, 0-based 7) aggregates from both tip and thumb
    assert mmaction[1, 21, 7] > 0 and mmaction[1, 22, 7] > 0
    assert reference[1, 21, 7] == 0 and reference[1, 22, 7] > 0


@pytest.mark.parametrize('layout', ['openpose', 'nturgb+d', 'coco'])
@pytest.mark.parametrize('max_hop', [1, 2, 3])
def test_spatial_equals_mmaction_stgcn_spatial(layout, max_hop):
    # the real MMAction2 1.2.0 Graph, including the max_hop quirk
    from mmaction_reference import import_mmaction
    import_mmaction()
    from mmaction.models.utils.graph import Graph as MMActionGraph
    theirs = MMActionGraph(layout, 'stgcn_spatial', max_hop=max_hop).A
    ours = Graph(layout, 'spatial', max_hop=max_hop).A
    assert ours.shape == theirs.shape == (2 * max_hop + 1, ) + ours.shape[1:]
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-7)


def test_max_hop_and_dilation():
    two_hops = chain_graph(strategy='distance', max_hop=2).A
    assert two_hops.shape == (3, 5, 5)
    assert two_hops[2, 0, 2] > 0 and two_hops[2, 0, 1] == 0
    dilated = chain_graph(strategy='distance', max_hop=2, dilation=2).A
    assert dilated.shape == (2, 5, 5)
    assert dilated[1, 0, 2] > 0 and dilated.sum(axis=0)[0, 1] == 0
    np.testing.assert_allclose(dilated.sum(axis=(0, 1)), 1, rtol=1e-6)


def test_custom_layout_through_registry(default_scope):
    graph = GRAPHS.build(dict(type='Graph', layout=None, **CHAIN))
    assert graph.A.shape == (3, 5, 5)


@pytest.mark.parametrize('kwargs,message', [
    (dict(layout='nturgbd'), 'nturgbd'),
    (dict(layout='coco', strategy='radial'), 'strategy'),
    (dict(layout='coco', max_hop=0), 'max_hop'),
    (dict(layout=None, num_node=3, edges=[(0, 1)]), 'center'),
    (dict(layout=None, num_node=3, edges=[(0, 5)], center=0), '5'),
    (dict(layout='coco', num_node=3), 'not both'),
])
def test_bad_graph_arguments(kwargs, message):
    with pytest.raises((ValueError, KeyError), match=message):
        Graph(**kwargs)
