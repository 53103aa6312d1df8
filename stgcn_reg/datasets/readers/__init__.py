"""Readers of raw skeleton files: one file in, arrays or records out.

NTU RGB+D ``.skeleton`` (:mod:`.ntu_skeleton`, names and benchmark splits
in :mod:`.ntu_names`), Kinetics-skeleton / OpenPose JSON
(:mod:`.kinetics_json`), BOLD annotation CSVs and joint files
(:mod:`.bold`) and label files (:mod:`.bold_labels`), and MMAction2 /
PYSKL annotation pickles (:mod:`.pose_annotations`). Whole-dataset
conversion is in :mod:`stgcn_reg.datasets.converters`.
"""
from .errors import SkeletonFormatError

__all__ = ['SkeletonFormatError']
