"""Convert an MMAction2 skeleton config into a Python config of ours.

The config goes to stdout (or ``-o``); the notes on what could not be
converted exactly go to stderr and into the config's header. The config
inherits our bases (``configs/_base_``) and states only what differs.
Its ``_base_`` paths (mmengine resolves them relative to the config
file): relative with ``-o`` inside this checkout's ``configs/``, so the
file moves with the repository; absolute on stdout and with ``-o``
anywhere else, so it loads wherever it is saved. A config needing
MMAction2 parts we do not have fails with one line naming them.

Examples:
    python tools/convert_mmaction_config.py \
        mmaction2/configs/skeleton/stgcnpp/<config>.py > my_stgcnpp.py
    python tools/convert_mmaction_config.py \
        mmaction2/configs/skeleton/stgcn/<config>.py -o configs/x.py
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='MMAction2 config (.py)')
    parser.add_argument('-o', '--out', metavar='CONFIG.py',
                        help='write the config here instead of stdout; '
                        'inside configs/ its _base_ paths are relative, '
                        'elsewhere (and on stdout) absolute')
    return parser.parse_args()


def main() -> None:
    """Convert, write the config and print the notes."""
    args = parse_args()
    from stgcn_reg.utils import exit_if_overwriting_inputs
    exit_if_overwriting_inputs({'--out': args.out}, {'CONFIG': args.config})
    from stgcn_reg.compat.config_text import emit_converted
    from stgcn_reg.compat.mmaction_config import convert_mmaction_config
    from stgcn_reg.compat.yaml_migration import base_dir_for
    base_dir = base_dir_for(args.out) if args.out else None
    try:
        text, notes = convert_mmaction_config(args.config, base_dir)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    emit_converted(text, notes, args.out)


if __name__ == '__main__':
    main()
