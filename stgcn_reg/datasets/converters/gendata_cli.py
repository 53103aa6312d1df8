"""What the gendata tools share: their common flags and how a run ends."""
import argparse
import os.path as osp
import sys
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Optional,
    Tuple,
    Type,
    TypeVar,
)

from .gendata_outputs import OutputRefusedError, split_files

Result = TypeVar('Result')


def add_data_path(parser: argparse.ArgumentParser, text: str,
                  default: Optional[str] = None) -> None:
    """``--data-path`` (alias ``--data_path``), the release to read, help
    ``text``; required unless it has a ``default``."""
    if default is not None:
        text = f'{text} (default: {default})'
    parser.add_argument('--data-path', '--data_path', default=default,
                        required=default is None, help=text)


def add_out_folder(parser: argparse.ArgumentParser, default: str) -> None:
    """``--out-folder`` (alias ``--out_folder``) of a split converter."""
    parser.add_argument(
        '--out-folder', '--out_folder', default=default,
        help=f'where the outputs go (default: {default})')


def add_workers(parser: argparse.ArgumentParser) -> None:
    """``--workers``: reader processes."""
    parser.add_argument(
        '--workers', type=int, help='reader processes (default: all CPUs)')


def add_run_options(parser: argparse.ArgumentParser,
                    progress_help: str = 'do not show progress bars') -> None:
    """``--no-progress`` and ``--overwrite``."""
    parser.add_argument(
        '--no-progress', action='store_true', help=progress_help)
    parser.add_argument(
        '--overwrite', action='store_true',
        help='replace outputs that hold more samples than this run makes '
        '(refused by default)')


def split_outputs(out_folder: str, splits: Iterable[str]) -> Dict[str, str]:
    """The files the splits write, named as the output guard reports them."""
    return {f'--out-folder ({osp.basename(path)})': path
            for split in splits for path in split_files(out_folder, split)}


def converted_or_exit(convert: Callable[[], Result],
                      errors: Tuple[Type[Exception], ...]) -> Result:
    """``convert()``; on refused outputs or one of ``errors``, the skipped
    files (if any) on stdout and one error line on stderr, exit status 1."""
    try:
        return convert()
    except OutputRefusedError as error:
        for line in error.details():
            print(line)
        sys.exit(f'error: {error}')
    except errors as error:
        sys.exit(f'error: {error}')


def generated_or_exit(
        generate: Callable[..., Result], args: argparse.Namespace,
        errors: Tuple[Type[Exception], ...] = (FileNotFoundError, ValueError),
        **options: Any) -> Result:
    """``generate(data_path, out_folder, **options)`` with the ``workers``,
    ``progress`` and ``overwrite`` of the shared flags; ends as
    :func:`converted_or_exit` (by default on a missing file or a bad
    value, such as a malformed file's ``SkeletonFormatError``)."""
    return converted_or_exit(lambda: generate(
        args.data_path, args.out_folder, workers=args.workers,
        progress=not args.no_progress, overwrite=args.overwrite, **options),
        errors)
