"""Parse a JSON file; a syntax error names the file, line and column."""
import json
from typing import Any

from .errors import SkeletonFormatError


def load_json(path: str) -> Any:
    """Parse ``path``; a syntax error names the line, column and char."""
    with open(path, encoding='utf-8') as file:
        text = file.read()
    if not text.strip():
        raise SkeletonFormatError(path, 'empty file, expected a JSON object')
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SkeletonFormatError(
            path,
            f'invalid JSON: {error.msg} (column {error.colno}, '
            f'char {error.pos})',
            error.lineno,
        ) from None
