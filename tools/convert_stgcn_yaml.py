"""Convert an original ST-GCN YAML config into a Python config.

The config goes to stdout (or ``-o``), the report of what could not be
converted exactly to stderr.

Examples:
    python tools/convert_stgcn_yaml.py config/st_gcn/ntu-xsub/train.yaml \
        > my_ntu_xsub.py
    python tools/convert_stgcn_yaml.py kinetics-skeleton/train.yaml \
        -o configs/stgcn_kinetics_from_yaml.py
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def main() -> None:
    """Convert, write the config and print the report."""
    from stgcn_reg.cli.config_conversion import convert_from_command_line
    from stgcn_reg.compat.yaml_migration import convert_stgcn_yaml
    convert_from_command_line(convert_stgcn_yaml, __doc__.splitlines()[0],
                              'yaml', 'original ST-GCN config (.yaml)')


if __name__ == '__main__':
    main()
