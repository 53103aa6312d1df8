"""The error every reader raises for a file that breaks its format."""
from typing import Optional


class SkeletonFormatError(ValueError):
    """A raw skeleton file does not follow its format.

    Args:
        path (str): The offending file.
        message (str): What was expected and what was found.
        line (int, optional): 1-based line number, when it applies.
    """

    def __init__(self, path: str, message: str,
                 line: Optional[int] = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f'{path}, line {line}' if line is not None else path
        super().__init__(f'{where}: {message}')
