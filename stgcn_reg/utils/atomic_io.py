"""Write files atomically so an interrupted run never leaves a half file."""
import json
import os
import os.path as osp
import pickle
from contextlib import contextmanager
from typing import Any, Iterator, Optional


@contextmanager
def atomic_path(path: str, keep_suffix: bool = False) -> Iterator[str]:
    """Yield a temp path beside ``path``; rename it over ``path`` on success.

    On an exception the temp file is removed and ``path`` is untouched.
    ``keep_suffix`` ends the temp name with ``path``'s suffix too, for
    writers that pick the format from it (OpenCV, Pillow).
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temp = osp.join(folder, f'.{osp.basename(path)}.tmp.{os.getpid()}')
    if keep_suffix:
        temp += osp.splitext(path)[1]
    try:
        yield temp
        os.replace(temp, path)
    finally:
        if osp.exists(temp):
            os.remove(temp)


def write_pickle_atomic(obj: Any, path: str) -> None:
    """Pickle ``obj`` to ``path`` via a temp file and a rename."""
    with atomic_path(path) as temp:
        with open(temp, 'wb') as file:
            pickle.dump(obj, file)


def write_json_atomic(obj: Any, path: str,
                      indent: Optional[int] = None) -> None:
    """Write ``obj`` as JSON to ``path`` via a temp file and a rename."""
    with atomic_path(path) as temp:
        with open(temp, 'w', encoding='utf-8') as file:
            json.dump(obj, file, indent=indent)
