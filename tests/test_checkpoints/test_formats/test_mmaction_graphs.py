"""MMAction2 graphs are matched against our layouts."""
import pytest
import torch

from stgcn_reg.checkpoints import MMActionCheckpointMismatchError
from stgcn_reg.checkpoints.formats.mmaction_graphs import (
    check_layout,
    matching_layouts,
    mmaction_graph_cfg,
)
from stgcn_reg.graphs import Graph


def test_a_graph_of_no_layout_is_refused():
    adjacency = torch.rand(3, 25, 25)
    with pytest.raises(MMActionCheckpointMismatchError,
                       match='matches no built-in layout; give --layout'):
        check_layout(adjacency, None, 'x.pth')
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="but no built-in layout's"):
        check_layout(adjacency, 'nturgb+d', 'x.pth')


def test_a_layout_graph_is_found_by_its_hops():
    for max_hop in (1, 2):
        adjacency = torch.as_tensor(Graph('coco', 'spatial',
                                          max_hop=max_hop).A)
        assert matching_layouts(adjacency) == ['coco']
        assert check_layout(adjacency, None, 'x.pth') == 'coco'
    assert matching_layouts(torch.zeros(2, 17, 17)) == []


def test_layouts_mmaction_lacks_go_as_custom_graphs():
    assert mmaction_graph_cfg('coco') == dict(layout='coco',
                                              mode='stgcn_spatial')
    custom = mmaction_graph_cfg('ntu-rgb+d', max_hop=2)
    assert custom['max_hop'] == 2
    assert custom['layout']['num_node'] == 25
