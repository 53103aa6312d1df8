"""What the config converters share (tools/convert_mmaction_config.py,
tools/convert_stgcn_yaml.py): their command line and the whole run."""
import argparse
import sys
from typing import Callable, List, Optional, Tuple, Type

from stgcn_reg.compat.config_text import emit_converted
from stgcn_reg.compat.yaml_migration import base_dir_for
from stgcn_reg.utils import exit_if_overwriting_inputs

# the file at a path as config text and notes, its ``_base_`` paths under
# the folder given (None: this checkout's ``configs/_base_``, absolute)
Converter = Callable[[str, Optional[str]], Tuple[str, List[str]]]

OUT_HELP = ('write the config here instead of stdout; inside configs/ its '
            '_base_ paths are relative, elsewhere (and on stdout) absolute')


def parse_conversion_args(description: str, source: str,
                          source_help: str) -> argparse.Namespace:
    """The input argument ``source`` and ``-o/--out`` of a converter."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(source, help=source_help)
    parser.add_argument('-o', '--out', metavar='CONFIG.py', help=OUT_HELP)
    return parser.parse_args()


def convert_from_command_line(
        convert: Converter, description: str, source: str,
        source_help: str,
        errors: Tuple[Type[Exception], ...] = ()) -> None:
    """Parse the command line, convert its input (named ``source``) for
    ``--out``, write the config there or to stdout and the notes to
    stderr.

    Exits first when ``--out`` would replace the input, and with one
    error line on one of ``errors``.
    """
    args = parse_conversion_args(description, source, source_help)
    path = getattr(args, source)
    exit_if_overwriting_inputs({'--out': args.out}, {source.upper(): path})
    base_dir = base_dir_for(args.out) if args.out else None
    try:
        text, notes = convert(path, base_dir)
    except errors as error:
        sys.exit(f'error: {error}')
    emit_converted(text, notes, args.out)
