"""Graph(mode=...) gives MMAction2's / PYSKL's adjacency exactly."""
import numpy as np
import pytest

from stgcn_reg.graphs import MODES, Graph
from stgcn_reg.registry import GRAPHS

# chain 0-1-2-3 with centre 1, bones as (child, parent)
CHAIN = dict(num_node=4, edges=[(0, 1), (2, 1), (3, 2)], center=1)


def mmaction_graph(layout, mode, max_hop=1) -> np.ndarray:
    """The real MMAction2 1.2.0 ``Graph(layout, mode, max_hop).A``."""
    from mmaction_reference import import_mmaction
    import_mmaction()
    from mmaction.models.utils.graph import Graph as MMActionGraph
    return MMActionGraph(layout, mode, max_hop=max_hop).A


@pytest.mark.parametrize('layout', ['nturgb+d', 'openpose', 'coco'])
@pytest.mark.parametrize('mode', ['spatial', 'stgcn_spatial', 'binary_adj'])
@pytest.mark.parametrize('max_hop', [1, 2])
def test_every_mode_equals_mmaction(layout, mode, max_hop):
    theirs = mmaction_graph(layout, mode, max_hop)
    ours = Graph(layout, mode=mode, max_hop=max_hop).A
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    # bit for bit, as MMAction2's backbone casts it to float32
    np.testing.assert_array_equal(ours, theirs.astype(np.float32))


def test_the_modes_mmaction_names_are_ours():
    from mmaction_reference import import_mmaction
    import_mmaction()
    from mmaction.models.utils.graph import Graph as MMActionGraph
    adjacency_methods = {
        name for name, value in vars(MMActionGraph).items()
        if callable(value) and not name.startswith('_')
        and name != 'set_layout'
    }
    assert adjacency_methods == set(MODES)


def test_a_custom_layout_equals_mmaction_dict_layout():
    custom = dict(num_node=CHAIN['num_node'], inward=CHAIN['edges'],
                  center=CHAIN['center'])
    for mode in MODES:
        np.testing.assert_array_equal(
            Graph(layout=None, mode=mode, **CHAIN).A,
            mmaction_graph(custom, mode).astype(np.float32))


def test_spatial_mode_by_hand():
    identity, inward, outward = Graph(layout=None, mode='spatial', **CHAIN).A
    np.testing.assert_array_equal(identity, np.eye(4))
    # inward: a parent's column gathers its children, each column sums to 1
    expected_in = np.zeros((4, 4))
    expected_in[1, 0] = expected_in[1, 2] = expected_in[2, 3] = 1
    np.testing.assert_array_equal(inward, expected_in)
    expected_out = np.zeros((4, 4))
    expected_out[0, 1] = expected_out[2, 1] = 0.5
    expected_out[3, 2] = 1
    np.testing.assert_array_equal(outward, expected_out)
    binary = Graph(layout=None, mode='binary_adj', **CHAIN).A
    np.testing.assert_array_equal(binary[0], expected_in + expected_in.T)


def test_stgcn_spatial_mode_is_our_spatial_strategy():
    for layout in ('nturgb+d', 'openpose', 'coco'):
        for max_hop in (1, 3):
            np.testing.assert_array_equal(
                Graph(layout, mode='stgcn_spatial', max_hop=max_hop).A,
                Graph(layout, 'spatial', max_hop=max_hop).A)


def test_pyskl_stgcnpp_graph_config(default_scope):
    graph = GRAPHS.build(dict(type='Graph', layout='nturgb+d',
                              mode='spatial'))
    assert graph.mode == 'spatial' and graph.strategy is None
    assert repr(graph) == ("Graph(layout='nturgb+d', mode='spatial', "
                           'max_hop=1, dilation=1, A=(3, 25, 25))')
    assert Graph('coco').strategy == 'spatial' and Graph('coco').mode is None


@pytest.mark.parametrize('kwargs,message', [
    (dict(strategy='spatial', mode='spatial'),
     "give strategy= .* or mode= .*, not both; got strategy='spatial', "
     "mode='spatial'"),
    (dict(mode='radial'), "graph mode must be one of MMAction2's .*'radial'"),
    (dict(mode='set_layout'), "got 'set_layout'"),
    (dict(mode='spatial', dilation=2), 'dilation and exact_center_distance'),
    (dict(mode='stgcn_spatial', exact_center_distance=True),
     'strategy options'),
])
def test_bad_modes_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Graph('coco', **kwargs)
