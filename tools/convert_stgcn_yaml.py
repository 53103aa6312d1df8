"""Convert an original ST-GCN YAML config into a Python config.

The config goes to stdout (or ``-o``), the report of what could not be
converted exactly to stderr.

Examples:
    python tools/convert_stgcn_yaml.py config/st_gcn/ntu-xsub/train.yaml \
        > my_ntu_xsub.py
    python tools/convert_stgcn_yaml.py kinetics-skeleton/train.yaml \
        -o configs/stgcn_kinetics_from_yaml.py
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('yaml', help='original ST-GCN config (.yaml)')
    parser.add_argument('-o', '--out', metavar='CONFIG.py',
                        help='write the config here instead of stdout; '
                        'inside configs/ its _base_ paths are relative')
    return parser.parse_args()


def main() -> None:
    """Convert, write the config and print the report."""
    args = parse_args()
    from stgcn_reg.utils import exit_if_overwriting_inputs
    exit_if_overwriting_inputs({'--out': args.out}, {'YAML': args.yaml})
    from stgcn_reg.compat.config_text import emit_converted
    from stgcn_reg.compat.yaml_migration import (
        base_dir_for,
        convert_stgcn_yaml,
    )
    base_dir = base_dir_for(args.out) if args.out else None
    text, report = convert_stgcn_yaml(args.yaml, base_dir=base_dir)
    emit_converted(text, report, args.out)


if __name__ == '__main__':
    main()
