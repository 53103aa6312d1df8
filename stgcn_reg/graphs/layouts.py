"""Joint layouts of the skeleton formats: joint count, bones and centre.

Every layout name used by graphs and transforms is spelled here, once.
Edges are 0-based joint index pairs; self-links are added by the graph.
"""
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

Edge = Tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """A skeleton layout.

    Args:
        name (str): Layout name as used in configs.
        num_node (int): Number of joints V.
        edges (tuple): Bones as 0-based ``(i, j)`` joint pairs.
        center (int): 0-based index of the centre joint of the spatial
            partition strategy.
    """

    name: str
    num_node: int
    edges: Tuple[Edge, ...]
    center: int

    def __post_init__(self) -> None:
        if self.num_node <= 0:
            raise ValueError(
                f'layout {self.name!r}: num_node must be positive, '
                f'got {self.num_node}')
        if not 0 <= self.center < self.num_node:
            raise ValueError(
                f'layout {self.name!r}: center must be a joint index in '
                f'[0, {self.num_node}), got {self.center}')
        for edge in self.edges:
            if len(edge) != 2 or not all(
                    0 <= joint < self.num_node for joint in edge):
                raise ValueError(
                    f'layout {self.name!r}: edge {tuple(edge)} must join two '
                    f'joint indices in [0, {self.num_node})')


def _from_one_based(pairs: Sequence[Edge]) -> Tuple[Edge, ...]:
    """Convert 1-based joint pairs (as the NTU documentation numbers them)."""
    return tuple((i - 1, j - 1) for i, j in pairs)


# 18 OpenPose (COCO-18) joints, as the Kinetics-skeleton data stores them.
OPENPOSE = Layout(
    name='openpose',
    num_node=18,
    edges=((4, 3), (3, 2), (7, 6), (6, 5), (13, 12), (12, 11), (10, 9),
           (9, 8), (11, 5), (8, 2), (5, 1), (2, 1), (0, 1), (15, 0), (14, 0),
           (17, 15), (16, 14)),
    center=1)

# 25 Kinect v2 joints of NTU RGB+D; centre is joint 21 (spine shoulder).
# The hands chain hand - thumb - tip, as in the ST-GCN reference code.
NTU_RGB_D = Layout(
    name='ntu-rgb+d',
    num_node=25,
    edges=_from_one_based(
        ((1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6), (8, 7),
         (9, 21), (10, 9), (11, 10), (12, 11), (13, 1), (14, 13), (15, 14),
         (16, 15), (17, 1), (18, 17), (19, 18), (20, 19), (22, 23), (23, 8),
         (24, 25), (25, 12))),
    center=21 - 1)

# The same 25 joints as MMAction2 / PYSKL join them (their 'nturgb+d'): the
# hand tip and the thumb each join the hand (22-8, 23-8, 24-12, 25-12)
# instead of the chain hand - thumb - tip. Weights trained on one graph do
# not fit the other: 8 entries of the centripetal partition differ.
NTURGB_D = Layout(
    name='nturgb+d',
    num_node=25,
    edges=_from_one_based(
        ((1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6), (8, 7),
         (9, 21), (10, 9), (11, 10), (12, 11), (13, 1), (14, 13), (15, 14),
         (16, 15), (17, 1), (18, 17), (19, 18), (20, 19), (22, 8), (23, 8),
         (24, 12), (25, 12))),
    center=21 - 1)

# NTU skeleton as 24 bones (edge-based input of the reference code).
NTU_EDGE = Layout(
    name='ntu_edge',
    num_node=24,
    edges=_from_one_based(
        ((1, 2), (3, 2), (4, 3), (5, 2), (6, 5), (7, 6), (8, 7), (9, 2),
         (10, 9), (11, 10), (12, 11), (13, 1), (14, 13), (15, 14), (16, 15),
         (17, 1), (18, 17), (19, 18), (20, 19), (21, 22), (22, 8), (23, 24),
         (24, 12))),
    center=2)

# 17 COCO keypoints (HRNet / MMPose output); centre is the nose.
COCO = Layout(
    name='coco',
    num_node=17,
    edges=((15, 13), (13, 11), (16, 14), (14, 12), (11, 5), (12, 6), (9, 7),
           (7, 5), (10, 8), (8, 6), (5, 0), (6, 0), (1, 0), (3, 1), (2, 0),
           (4, 2)),
    center=0)

LAYOUTS: Dict[str, Layout] = {
    layout.name: layout
    for layout in (OPENPOSE, NTU_RGB_D, NTURGB_D, NTU_EDGE, COCO)
}


def get_layout(name: str) -> Layout:
    """Return the named built-in layout, or raise a KeyError naming them."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise KeyError(
            f'unknown graph layout {name!r}; built-in layouts are '
            f'{sorted(LAYOUTS)}, or give num_node, edges and center for a '
            'custom layout') from None
