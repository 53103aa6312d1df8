"""Refuse, before any work, to write a tool's output over one of its inputs.

Two paths name the same file when both exist and are one file
(:func:`os.path.samefile`: the same path, a symlink or a hard link), or
when neither exists yet and their normalised real paths are equal. A path
that exists and one that does not are different files: writing the
missing one cannot touch the other.
"""
import os
import os.path as osp
import sys
from typing import Dict, Iterator, Mapping, Optional, Tuple, Union

Paths = Mapping[str, Optional[str]]
_Key = Union[Tuple[int, int], str]


class OutputOverwritesInputError(ValueError):
    """An output path names one of the inputs, or another output."""


def _key(path: str) -> _Key:
    """``(device, inode)`` of an existing file, else its real path."""
    try:
        stat = os.stat(path)
    except OSError:
        return osp.normcase(osp.realpath(path))
    return stat.st_dev, stat.st_ino


def _keyed(paths: Paths) -> Iterator[Tuple[_Key, str, str]]:
    for option, path in paths.items():
        if path and '://' not in path:  # URLs are downloaded, never written
            yield _key(path), option, path


def refuse_overwriting_inputs(outputs: Paths, inputs: Paths) -> None:
    """Raise if an output is the same file as an input or another output.

    Args:
        outputs (mapping): Option (e.g. ``'--out'``) -> path the tool will
            write; ``None`` and empty entries are ignored.
        inputs (mapping): Option -> path the tool reads; ``None``, empty
            and URL entries are ignored.

    Raises:
        OutputOverwritesInputError: A one-line message naming both options
            and paths.
    """
    read: Dict[_Key, Tuple[str, str]] = {}
    for key, option, path in _keyed(inputs):
        read.setdefault(key, (option, path))
    written: Dict[_Key, Tuple[str, str]] = {}
    for key, option, path in _keyed(outputs):
        if key in read:
            in_option, in_path = read[key]
            raise OutputOverwritesInputError(
                f'{option} {path!r} is the input {in_option} {in_path!r}; '
                'refusing to write over an input, give another output path')
        if key in written:
            other_option, other_path = written[key]
            raise OutputOverwritesInputError(
                f'{option} {path!r} is the same file as {other_option} '
                f'{other_path!r}; give each output its own path')
        written[key] = option, path


def files_in(folder: str, suffixes: Tuple[str, ...],
             option: str) -> Dict[str, str]:
    """Inputs entry per file of ``folder`` ending in one of ``suffixes``
    (case-insensitive), labelled ``'<option> file'``; empty when
    ``folder`` is not a folder."""
    if not osp.isdir(folder):
        return {}
    return {
        f'{option} file {entry.name}': entry.path
        for entry in os.scandir(folder)
        if entry.name.lower().endswith(suffixes)
    }


def exit_if_overwriting_inputs(outputs: Paths, inputs: Paths) -> None:
    """For tools: :func:`refuse_overwriting_inputs`, ending the process
    with ``error: ...`` (exit status 1) when it refuses."""
    try:
        refuse_overwriting_inputs(outputs, inputs)
    except OutputOverwritesInputError as error:
        sys.exit(f'error: {error}')
