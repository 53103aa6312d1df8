"""Write config values as text-style config source, as a person would.

Used by the YAML and MMAction2 config conversions: only the values that
differ from the base configs are written, wrapped to 79 columns in the
repository's style, under a header with the conversion notes.
"""
import sys
import textwrap
from typing import Any, List, Optional, Sequence, Tuple

from stgcn_reg.utils.atomic_io import atomic_path

# returned by :func:`diff_from_base` when the base already holds a value
SAME = object()


class Name(str):
    """A variable of the config (e.g. ``train_pipeline``), not a string."""

    def __repr__(self) -> str:
        return str(self)


def normal(value: Any) -> Any:
    """``value`` with tuples as lists and dicts as plain dicts."""
    if isinstance(value, (list, tuple)):
        return [normal(item) for item in value]
    if isinstance(value, dict):
        return {key: normal(item) for key, item in value.items()}
    return value


def same(left: Any, right: Any) -> bool:
    """Whether two config values are equal, lists and tuples alike."""
    return normal(left) == normal(right)


def diff_from_base(want: Any, base: Any) -> Any:
    """``want`` less what ``base`` already holds; :data:`SAME` if nothing.

    Dicts are compared key by key (mmengine merges them) and ``None``
    values in ``want`` are skipped; lists, and dicts with ``_delete_``,
    are replaced whole, so they are kept when they differ at all.
    """
    if isinstance(want, dict) and '_delete_' not in want:
        base = base if isinstance(base, dict) else {}
        out = {k: diff_from_base(v, base.get(k)) for k, v in want.items()
               if v is not None}
        out = {k: v for k, v in out.items() if v is not SAME}
        return out or SAME
    return SAME if same(want, base) else want


def _items(value: Any) -> Optional[Tuple[str, List[tuple], str]]:
    if isinstance(value, dict):
        return 'dict(', [(f'{k}=', v) for k, v in value.items()], ')'
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        return '[', [('', v) for v in value], ']'
    return None


def _flat(value: Any) -> str:
    parts = _items(value)
    if parts is None:
        return repr(value)
    opening, items, closing = parts
    return opening + ', '.join(k + _flat(v) for k, v in items) + closing


def format_value(value: Any, column: int, level: int = 0) -> str:
    """Source of ``value`` as ``dict(...)``/``[...]``, 79 columns wide.

    Args:
        value (Any): Dicts, lists, tuples and literals.
        column (int): Column where the value starts (after ``key = ``).
        level (int): Indentation of the line the value starts on; items
            that do not fit on it go one per line, 4 spaces deeper.

    Returns:
        str: Python source.
    """
    flat = _flat(value)
    parts = _items(value)
    if parts is None or column + len(flat) <= 78:
        return flat
    opening, items, closing = parts
    pad = level + 4
    return opening + '\n' + ',\n'.join(
        ' ' * pad + key + format_value(v, pad + len(key), pad)
        for key, v in items) + closing


def format_statement(key: str, value: Any) -> str:
    """``key = <value>`` as one top-level config statement."""
    return f'{key} = ' + format_value(value, len(key) + 3)


def comment_lines(text: str, first: str = '# ',
                  rest: str = '# ') -> List[str]:
    """``text`` as wrapped comment lines of at most 79 characters."""
    return textwrap.wrap(text, 79, initial_indent=first,
                         subsequent_indent=rest, break_long_words=False,
                         break_on_hyphens=False)


def config_header(source: str, notes: Sequence[str],
                  bases: Sequence[str]) -> List[str]:
    """First lines of a converted config: its source, the conversion
    notes and the ``_base_`` statement."""
    lines = comment_lines(f'Converted from {source}.')
    lines += ['# Conversion notes:'] if notes else []
    for line in notes:
        lines += comment_lines(line, '# - ', '#   ')
    return lines + [format_statement('_base_', list(bases)), '']


def emit_converted(text: str, notes: Sequence[str],
                   out: Optional[str]) -> None:
    """Write a converted config to ``out`` (atomically) or stdout, then
    its notes to stderr."""
    if out:
        with atomic_path(out) as temp:
            with open(temp, 'w', encoding='utf-8') as file:
                file.write(text)
        print(f'Wrote {out}', file=sys.stderr)
    else:
        sys.stdout.write(text)
    for line in notes:
        print(f'note: {line}', file=sys.stderr)
