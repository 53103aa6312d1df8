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
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def main() -> None:
    """Convert, write the config and print the notes."""
    from stgcn_reg.cli.config_conversion import convert_from_command_line
    from stgcn_reg.compat.mmaction_config import convert_mmaction_config
    convert_from_command_line(
        convert_mmaction_config, __doc__.splitlines()[0], 'config',
        'MMAction2 config (.py)', (FileNotFoundError, ValueError))


if __name__ == '__main__':
    main()
