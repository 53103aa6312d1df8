"""The built-in layouts: aliases, other tools' names, joint facts."""
import pytest

from stgcn_reg.graphs import (
    LAYOUTS,
    Graph,
    get_layout,
    layout_by_alias,
    tool_layouts,
)


def test_iteration_gives_each_layout_once_by_name():
    assert sorted(LAYOUTS) == [
        'coco', 'ntu-rgb+d', 'ntu_edge', 'nturgb+d', 'openpose'
    ]
    assert all(LAYOUTS[name].name == name for name in LAYOUTS)


@pytest.mark.parametrize('alias, name', [
    ('ntu25_chained_hands', 'ntu-rgb+d'),
    ('ntu25_forked_hands', 'nturgb+d'),
    ('ntu25_mmaction', 'nturgb+d'),
    ('coco17', 'coco'),
])
def test_aliases_name_the_same_layout_everywhere(alias, name):
    assert alias in LAYOUTS and LAYOUTS[alias] is get_layout(name)
    assert layout_by_alias(alias) is get_layout(name)
    graph = Graph(alias)
    assert graph.layout.name == name
    assert (graph.A == Graph(name).A).all()


def test_other_tools_names():
    assert sorted(tool_layouts('mmaction')) == ['coco', 'nturgb+d',
                                                'openpose']
    assert tool_layouts('pyskl') == tool_layouts('mmaction')
    assert sorted(tool_layouts('stgcn')) == ['ntu-rgb+d', 'ntu_edge',
                                             'openpose']
    assert layout_by_alias('nturgb+d', tool='mmaction') is get_layout(
        'nturgb+d')
    # MMAction2 has no chained-hands NTU graph
    assert get_layout('ntu-rgb+d').tool_name('mmaction') is None
    with pytest.raises(KeyError, match="mmaction layout 'ntu-rgb\\+d'"):
        layout_by_alias('ntu-rgb+d', tool='mmaction')
    with pytest.raises(ValueError, match="unknown tool 'mmpose'"):
        tool_layouts('mmpose')


def test_unknown_names_list_the_known_ones():
    with pytest.raises(KeyError, match="unknown graph layout 'ntu'.*"
                       "'ntu25_chained_hands'"):
        get_layout('ntu')


@pytest.mark.parametrize('name, joints, dims, image', [
    ('openpose', 18, 2, True),
    ('coco', 17, 2, True),
    ('ntu-rgb+d', 25, 3, False),
    ('nturgb+d', 25, 3, False),
    ('ntu_edge', 24, 3, False),
])
def test_joint_counts_and_coordinates(name, joints, dims, image):
    layout = get_layout(name)
    assert (layout.num_node, layout.dims) == (joints, dims)
    assert layout.image_coordinates is image
    assert layout.channels == 3  # x, y, z or x, y, score
    assert len(layout.parents) == joints


def test_joint_names_follow_each_format():
    ntu, openpose, coco = (get_layout(name)
                           for name in ('ntu-rgb+d', 'openpose', 'coco'))
    assert ntu.joint_names == get_layout('nturgb+d').joint_names
    assert ntu.joint_names[ntu.center] == 'spine_shoulder'
    assert ntu.joint_names[21:23] == ('left_hand_tip', 'left_thumb')
    assert openpose.joint_names[openpose.center] == 'neck'
    assert openpose.joint_names[2:5] == ('right_shoulder', 'right_elbow',
                                         'right_wrist')
    # the standard COCO keypoint order
    assert coco.joint_names[:5] == ('nose', 'left_eye', 'right_eye',
                                    'left_ear', 'right_ear')
    assert coco.joint_names[15:] == ('left_ankle', 'right_ankle')
    assert not get_layout('ntu_edge').joint_names


@pytest.mark.parametrize('name', sorted(tool_layouts('mmaction')))
def test_mmaction_layouts_are_the_same_graphs(name):
    # the real MMAction2 1.2.0 layout of that name
    from mmaction_reference import import_mmaction
    import_mmaction()
    from mmaction.models.utils.graph import Graph as MMActionGraph
    theirs = MMActionGraph(name, 'stgcn_spatial')
    ours = layout_by_alias(name, tool='mmaction')
    assert theirs.num_node == ours.num_node
    assert theirs.center == ours.center
    assert set(theirs.inward) == set(ours.edges)
