"""The built-in skeleton layouts, and lookups by our name or another tool's.

Every joint fact the readers, transforms, graphs and renderers use (joint
count, bones, centre, 2-D or 3-D, joint names, the names MMAction2, PYSKL
and the original ST-GCN give a graph) is spelled here, once. Edges are
0-based joint index pairs; self-links are added by the graph.
"""
from collections.abc import Mapping
from typing import Dict, Iterator, List, Optional, Sequence

from .layout import TOOLS, Edge, Layout, bone_parents

__all__ = [
    'LAYOUTS', 'TOOLS', 'Edge', 'Layout', 'LayoutTable', 'bone_parents',
    'get_layout', 'layout_by_alias', 'tool_layouts'
]


def _from_one_based(pairs: Sequence[Edge]) -> tuple:
    """Convert 1-based joint pairs (as the NTU documentation numbers them)."""
    return tuple((i - 1, j - 1) for i, j in pairs)


# Kinect v2 joints, in NTU RGB+D order (the documentation's 1..25)
_KINECT_JOINTS = (
    'spine_base', 'spine_mid', 'neck', 'head', 'left_shoulder',
    'left_elbow', 'left_wrist', 'left_hand', 'right_shoulder', 'right_elbow',
    'right_wrist', 'right_hand', 'left_hip', 'left_knee', 'left_ankle',
    'left_foot', 'right_hip', 'right_knee', 'right_ankle', 'right_foot',
    'spine_shoulder', 'left_hand_tip', 'left_thumb', 'right_hand_tip',
    'right_thumb')
# NTU bones shared by both NTU graphs (1-based): trunk, arms and legs
_NTU_BODY = ((1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6),
             (8, 7), (9, 21), (10, 9), (11, 10), (12, 11), (13, 1), (14, 13),
             (15, 14), (16, 15), (17, 1), (18, 17), (19, 18), (20, 19))
# MMAction2's / PYSKL's bone parent of each NTU joint (0-based), their
# dataset 'nturgb+d': the hands chain tip - thumb - hand (21 -> 22 -> 7,
# 23 -> 24 -> 11) although their 'nturgb+d' graph forks them, so these
# are the BFS parents of our 'ntu-rgb+d' graph, not of 'nturgb+d'.
_PYSKL_NTU_PARENTS = (1, 20, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13,
                      14, 0, 16, 17, 18, 20, 22, 7, 24, 11)


def _ntu_layout(name: str, hand_edges: Sequence[Edge],
                aliases: Sequence[str],
                tool_names: Sequence[Sequence[str]]) -> Layout:
    """The 25 Kinect v2 joints of NTU RGB+D, centre joint 21 (spine
    shoulder), with the hands joined by ``hand_edges`` (1-based)."""
    return Layout(
        name=name,
        num_node=25,
        edges=_from_one_based(_NTU_BODY + tuple(hand_edges)),
        center=21 - 1,
        aliases=tuple(aliases),
        tool_names=tuple(tuple(pair) for pair in tool_names),
        joint_names=_KINECT_JOINTS,
        pyskl_parents=_PYSKL_NTU_PARENTS)


# 18 OpenPose (COCO-18) joints, as the Kinetics-skeleton and BOLD data
# store them: image x, y and a detection score.
OPENPOSE = Layout(
    name='openpose',
    num_node=18,
    edges=((4, 3), (3, 2), (7, 6), (6, 5), (13, 12), (12, 11), (10, 9),
           (9, 8), (11, 5), (8, 2), (5, 1), (2, 1), (0, 1), (15, 0), (14, 0),
           (17, 15), (16, 14)),
    center=1,
    dims=2,
    tool_names=(('stgcn', 'openpose'), ('mmaction', 'openpose'),
                ('pyskl', 'openpose')),
    joint_names=('nose', 'neck', 'right_shoulder', 'right_elbow',
                 'right_wrist', 'left_shoulder', 'left_elbow', 'left_wrist',
                 'right_hip', 'right_knee', 'right_ankle', 'left_hip',
                 'left_knee', 'left_ankle', 'right_eye', 'left_eye',
                 'right_ear', 'left_ear'),
    # MMAction2's / PYSKL's bones (dataset 'openpose') hang from the nose,
    # joint 0, which is its own parent and the neck's; our BFS parents
    # hang from the neck
    pyskl_parents=(0, 0, 1, 2, 3, 1, 5, 6, 2, 8, 9, 5, 11, 12, 0, 0, 14,
                   15))

# 25 Kinect v2 joints of NTU RGB+D. The hands chain hand - thumb - tip
# (23-8, 22-23), as in the original ST-GCN code.
NTU_RGB_D = _ntu_layout('ntu-rgb+d', ((22, 23), (23, 8), (24, 25), (25, 12)),
                        aliases=('ntu25_chained_hands', ),
                        tool_names=(('stgcn', 'ntu-rgb+d'), ))
# The same 25 joints as MMAction2 / PYSKL join them (their 'nturgb+d'): the
# hand tip and the thumb each join the hand (22-8, 23-8, 24-12, 25-12)
# instead of the chain hand - thumb - tip. Weights trained on one graph do
# not fit the other: 8 entries of the centripetal partition differ.
NTURGB_D = _ntu_layout('nturgb+d', ((22, 8), (23, 8), (24, 12), (25, 12)),
                       aliases=('ntu25_forked_hands', 'ntu25_mmaction'),
                       tool_names=(('mmaction', 'nturgb+d'),
                                   ('pyskl', 'nturgb+d')))

# NTU skeleton as 24 bones (edge-based input of the original ST-GCN code).
NTU_EDGE = Layout(
    name='ntu_edge',
    num_node=24,
    edges=_from_one_based(
        ((1, 2), (3, 2), (4, 3), (5, 2), (6, 5), (7, 6), (8, 7), (9, 2),
         (10, 9), (11, 10), (12, 11), (13, 1), (14, 13), (15, 14), (16, 15),
         (17, 1), (18, 17), (19, 18), (20, 19), (21, 22), (22, 8), (23, 24),
         (24, 12))),
    center=2,
    tool_names=(('stgcn', 'ntu_edge'), ))

# 17 COCO keypoints in the standard COCO order (HRNet / MMPose output);
# centre is the nose. The bones are MMAction2's / PYSKL's tree over them
# (COCO's own drawing skeleton also joins the hips, the shoulders, the
# eyes and ears to shoulders, which makes cycles).
COCO = Layout(
    name='coco',
    num_node=17,
    edges=((15, 13), (13, 11), (16, 14), (14, 12), (11, 5), (12, 6), (9, 7),
           (7, 5), (10, 8), (8, 6), (5, 0), (6, 0), (1, 0), (3, 1), (2, 0),
           (4, 2)),
    center=0,
    dims=2,
    aliases=('coco17', ),
    tool_names=(('mmaction', 'coco'), ('pyskl', 'coco')),
    joint_names=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
                 'left_shoulder', 'right_shoulder', 'left_elbow',
                 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                 'right_hip', 'left_knee', 'right_knee', 'left_ankle',
                 'right_ankle'),
    # MMAction2's / PYSKL's bones (dataset 'coco'): the hips, 11 and 12,
    # hang from the nose, not from the shoulders as in the graph's edges
    pyskl_parents=(0, 0, 0, 1, 2, 0, 0, 5, 6, 7, 8, 0, 0, 11, 12, 13, 14))


class LayoutTable(Mapping):
    """Layouts by name; an alias is a key too, but iterating gives each
    layout once, by its :attr:`Layout.name`."""

    def __init__(self, layouts: Sequence[Layout]) -> None:
        self._layouts: Dict[str, Layout] = {}
        self._by_any_name: Dict[str, Layout] = {}
        for layout in layouts:
            for name in (layout.name, *layout.aliases):
                if name in self._by_any_name:
                    raise ValueError(f'layout name {name!r} is used twice')
                self._by_any_name[name] = layout
            self._layouts[layout.name] = layout

    def __getitem__(self, name: str) -> Layout:
        return self._by_any_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_any_name

    def __iter__(self) -> Iterator[str]:
        return iter(self._layouts)

    def __len__(self) -> int:
        return len(self._layouts)

    def names(self) -> List[str]:
        """Every accepted name, aliases included, sorted."""
        return sorted(self._by_any_name)


LAYOUTS = LayoutTable((OPENPOSE, NTU_RGB_D, NTURGB_D, NTU_EDGE, COCO))


def get_layout(name: str) -> Layout:
    """Return the built-in layout of a name or alias, or raise a KeyError
    naming them."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise KeyError(
            f'unknown graph layout {name!r}; built-in layouts are '
            f'{LAYOUTS.names()}, or give num_node, edges and center for a '
            'custom layout') from None


def tool_layouts(tool: str) -> Dict[str, Layout]:
    """The layouts ``tool`` (one of :data:`TOOLS`) has built in, by its
    names, e.g. ``tool_layouts('mmaction')['nturgb+d'] is NTURGB_D``."""
    if tool not in TOOLS:
        raise ValueError(f'unknown tool {tool!r}; expected one of {TOOLS}')
    return {
        layout.tool_name(tool): layout
        for layout in LAYOUTS.values() if layout.tool_name(tool)
    }


def layout_by_alias(name: str, tool: Optional[str] = None) -> Layout:
    """The layout ``tool`` calls ``name`` (e.g. ``('nturgb+d',
    'mmaction')``); without ``tool``, ours of that name or alias.

    Raises:
        KeyError: No such layout, naming those there are.
    """
    if tool is None:
        return get_layout(name)
    known = tool_layouts(tool)
    if name not in known:
        raise KeyError(
            f'{tool} layout {name!r} has no built-in equal here; {tool} '
            f'layouts known: {sorted(known)}')
    return known[name]
