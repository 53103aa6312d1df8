"""The :class:`Layout` of a skeleton: its joints, bones, centre and names."""
from collections import deque
from dataclasses import dataclass
from typing import List, Optional, Tuple

Edge = Tuple[int, int]
# the other tools whose layout names a Layout may record
TOOLS = ('stgcn', 'mmaction', 'pyskl')


@dataclass(frozen=True)
class Layout:
    """A skeleton layout: every fact about its joints, in one place.

    Args:
        name (str): Layout name as used in configs and checkpoints.
        num_node (int): Number of joints V.
        edges (tuple): Bones as 0-based ``(i, j)`` joint pairs.
        center (int): 0-based index of the centre joint of the spatial
            partition strategy (and the root of :attr:`parents`).
        dims (int): Coordinate dimensions: 3 for world ``(x, y, z)``
            (Kinect), 2 for image ``(x, y)`` with y down (pose
            estimators). Defaults to 3.
        aliases (tuple): Other names our configs may use for it.
        tool_names (tuple): ``(tool, name)`` pairs: what another tool of
            :data:`TOOLS` calls this very graph (``'stgcn'`` the original
            ST-GCN code, ``'mmaction'`` MMAction2, ``'pyskl'`` PYSKL).
        joint_names (tuple): One name per joint, when known.
        pyskl_parents (tuple): Each joint's bone parent in MMAction2's and
            PYSKL's ``JointToBone`` (their bone of joint ``v`` is ``v``
            minus this joint; a root is its own parent). Their bone pairs
            are a table of their own, not a search over the edges, so
            they may differ from :attr:`parents`. Empty when the tools
            have no bone pairs for these joints.
    """

    name: str
    num_node: int
    edges: Tuple[Edge, ...]
    center: int
    dims: int = 3
    aliases: Tuple[str, ...] = ()
    tool_names: Tuple[Tuple[str, str], ...] = ()
    joint_names: Tuple[str, ...] = ()
    pyskl_parents: Tuple[int, ...] = ()

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
        self._check_descriptions()

    def _check_descriptions(self) -> None:
        """Raise if dims, tool names or joint names do not fit."""
        if self.dims not in (2, 3):
            raise ValueError(
                f'layout {self.name!r}: dims must be 2 or 3, got {self.dims}')
        for tool, _ in self.tool_names:
            if tool not in TOOLS:
                raise ValueError(
                    f'layout {self.name!r}: unknown tool {tool!r} in '
                    f'tool_names; expected one of {TOOLS}')
        if self.joint_names and len(self.joint_names) != self.num_node:
            raise ValueError(
                f'layout {self.name!r}: {len(self.joint_names)} joint_names '
                f'for {self.num_node} joints')
        if self.pyskl_parents and (
                len(self.pyskl_parents) != self.num_node or not all(
                    0 <= joint < self.num_node
                    for joint in self.pyskl_parents)):
            raise ValueError(
                f'layout {self.name!r}: pyskl_parents must give one joint '
                f'index in [0, {self.num_node}) per joint, got '
                f'{self.pyskl_parents}')

    @property
    def channels(self) -> int:
        """Channels C of a sample: ``x, y, z`` (3-D) or ``x, y, score``
        (2-D, the detection score after the image coordinates)."""
        return self.dims + 1 if self.dims == 2 else self.dims

    @property
    def image_coordinates(self) -> bool:
        """True when the data are image ``(x, y)`` with y down (2-D)."""
        return self.dims == 2

    @property
    def parents(self) -> Tuple[int, ...]:
        """Each joint's bone parent, see :func:`bone_parents`."""
        return bone_parents(self)

    def tool_name(self, tool: str) -> Optional[str]:
        """What ``tool`` (one of :data:`TOOLS`) calls this graph, or None
        when it has no built-in layout for it."""
        if tool not in TOOLS:
            raise ValueError(f'unknown tool {tool!r}; expected one of {TOOLS}')
        return dict(self.tool_names).get(tool)


def bone_parents(layout: Layout) -> Tuple[int, ...]:
    """Parent of every joint: its neighbour one hop closer to the center.

    The parents come from a breadth-first search from ``layout.center``
    over ``layout.edges`` that visits neighbours in index order, so the
    choice is deterministic even if a layout had cycles. The center is
    its own parent.
    """
    neighbours: List[List[int]] = [[] for _ in range(layout.num_node)]
    for i, j in layout.edges:
        if i != j:
            neighbours[i].append(j)
            neighbours[j].append(i)
    parents = [-1] * layout.num_node
    parents[layout.center] = layout.center
    queue = deque([layout.center])
    while queue:
        joint = queue.popleft()
        for other in sorted(neighbours[joint]):
            if parents[other] < 0:
                parents[other] = joint
                queue.append(other)
    unreached = [joint for joint, parent in enumerate(parents) if parent < 0]
    if unreached:
        raise ValueError(
            f'layout {layout.name!r}: joints {unreached} are not connected '
            f'to the center joint {layout.center} by its edges, so they '
            'have no bone'
        )
    return tuple(parents)
