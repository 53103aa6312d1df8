"""MMAction2 1.2.0's own skeleton configs, for the conversion tests.

The installed wheel carries them under ``mmaction/.mim/configs``, laid
out as an MMAction2 checkout's ``configs/`` (``_base_`` chains resolve).
Tests skip, saying why, when MMAction2 is not installed.
"""
import glob
import importlib.util
import os.path as osp
from typing import List

import pytest

# the ST-GCN and ST-GCN++ configs of MMAction2 1.2.0
SKELETON_GCN = ('stgcn', 'stgcnpp')
NUM_CONFIGS = 24
# a config of each of the other skeleton families (parts we do not have)
POSEC3D = 'posec3d/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint.py'
AGCN = '2s-agcn/2s-agcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'
JOINT_3D = 'stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'


def skeleton_dir() -> str:
    """``configs/skeleton`` of the installed MMAction2, or skip."""
    spec = importlib.util.find_spec('mmaction')
    if spec is None or spec.origin is None:
        pytest.skip('MMAction2 1.2.0 is not installed (tools/setup_env.sh '
                    'installs it)')
    folder = osp.join(osp.dirname(spec.origin), '.mim', 'configs',
                      'skeleton')
    if not osp.isdir(folder):
        pytest.skip(f'MMAction2 configs not found at {folder}')
    return folder


def gcn_configs() -> List[str]:
    """The ST-GCN / ST-GCN++ config files, or skip."""
    folder = skeleton_dir()
    return sorted(path for family in SKELETON_GCN
                  for path in glob.glob(osp.join(folder, family, '*.py')))
