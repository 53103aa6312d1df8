"""NTU RGB+D sample names and the benchmark splits they fall in.

Names read ``SsssCcccPpppRrrrAaaa``: setup, camera, performer (subject),
replication and action, all 1-based.
"""

import os.path as osp
import re
from dataclasses import dataclass
from typing import Set, Union

# fmt: off
NTU60_XSUB_TRAIN_SUBJECTS = (1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19,
                             25, 27, 28, 31, 34, 35, 38)
NTU60_XVIEW_TRAIN_CAMERAS = (2, 3)
# Liu et al., NTU RGB+D 120 (TPAMI 2019), cross-subject evaluation
NTU120_XSUB_TRAIN_SUBJECTS = (1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19,
                              25, 27, 28, 31, 34, 35, 38, 45, 46, 47, 49, 50,
                              52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80,
                              81, 82, 83, 84, 85, 86, 89, 91, 92, 93, 94, 95,
                              97, 98, 100, 103)
# fmt: on
# benchmark -> (number of classes, last setup of its dataset)
NTU_BENCHMARKS = {
    'xsub': (60, 17),
    'xview': (60, 17),
    'xsub120': (120, 32),
    'xset120': (120, 32),
}

_NAME = re.compile(r'S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})')


@dataclass(frozen=True)
class NTUName:
    """The fields of a name ``SsssCcccPpppRrrrAaaa`` (1-based ints)."""

    setup: int
    camera: int
    performer: int
    replication: int
    action: int

    @property
    def subject(self) -> int:
        """The performer, as the benchmarks call it."""
        return self.performer

    @property
    def label(self) -> int:
        """The 0-based class index (``action - 1``)."""
        return self.action - 1


def parse_ntu_name(name: str) -> NTUName:
    """Parse a sample or file name such as ``S001C001P001R001A001``.

    A directory and a ``.skeleton`` suffix are ignored.

    Raises:
        ValueError: When the name does not follow the pattern.
    """
    stem = osp.basename(name)
    stem = stem[: -len('.skeleton')] if stem.endswith('.skeleton') else stem
    match = _NAME.fullmatch(stem)
    values = [int(value) for value in match.groups()] if match else [0]
    if 0 in values:
        raise ValueError(
            f'{name!r} is not an NTU RGB+D sample name: expected '
            'SsssCcccPpppRrrrAaaa with 1-based numbers, e.g. '
            'S001C001P001R001A001.skeleton'
        )
    return NTUName(*values)


def split_of(name: Union[str, NTUName], benchmark: str) -> str:
    """``'train'`` or ``'val'``: the part of ``benchmark`` a sample is in.

    Args:
        name (str | NTUName): The sample (or file) name, or its fields.
        benchmark (str): ``'xsub'`` / ``'xview'`` (NTU-60 cross-subject /
            cross-view) or ``'xsub120'`` / ``'xset120'`` (NTU-120
            cross-subject / cross-setup: even setups train).
    """
    if benchmark not in NTU_BENCHMARKS:
        raise ValueError(
            f'unknown NTU benchmark {benchmark!r}; expected '
            f'one of {tuple(NTU_BENCHMARKS)}'
        )
    fields = parse_ntu_name(name) if isinstance(name, str) else name
    if benchmark == 'xsub':
        train = fields.performer in NTU60_XSUB_TRAIN_SUBJECTS
    elif benchmark == 'xview':
        train = fields.camera in NTU60_XVIEW_TRAIN_CAMERAS
    elif benchmark == 'xsub120':
        train = fields.performer in NTU120_XSUB_TRAIN_SUBJECTS
    else:
        train = fields.setup % 2 == 0
    return 'train' if train else 'val'


def read_ignore_list(path: str) -> Set[str]:
    """Sample names (no ``.skeleton`` suffix) listed one a line."""
    with open(path) as file:
        names = (line.strip() for line in file)
        return {
            name[: -len('.skeleton')] if name.endswith('.skeleton') else name
            for name in names
            if name
        }
