"""A local file backend whose writes are atomic (temp file + rename).

Checkpoints are written through mmengine's file backends. With the plain
local backend a kill during a save leaves a truncated ``.pth``; here every
``put`` writes a temp file beside the target and renames it over the target,
so a reader only ever sees the old file or the complete new one.
"""
import os
from pathlib import Path
from typing import Union

from mmengine.fileio.backends import LocalBackend, register_backend

from stgcn_reg.utils import atomic_path

BACKEND_NAME = 'atomic_local'


class AtomicLocalBackend(LocalBackend):
    """:class:`LocalBackend` with atomic ``put`` and ``put_text``."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Write bytes to ``filepath`` via a temp file and a rename.

        A failed write (full disk, read-only folder) raises an ``OSError``
        that names ``filepath``; the previous file stays as it was.
        """
        try:
            with atomic_path(str(filepath)) as temp:
                with open(temp, 'wb') as file:
                    file.write(obj)
                    file.flush()
                    os.fsync(file.fileno())
        except OSError as error:
            if error.filename is not None:
                raise
            raise OSError(error.errno, error.strerror,
                          str(filepath)) from error

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        """Write text to ``filepath`` via a temp file and a rename."""
        self.put(obj.encode(encoding), filepath)


register_backend(BACKEND_NAME, AtomicLocalBackend, force=True)
