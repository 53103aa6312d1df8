"""Resumable HTTP downloads that never leave a half-written file behind.

Bytes go to ``<dest>.part``; an interrupted transfer is continued from
there with an HTTP ``Range`` request (by the retries of the same call or
by a later run), and only a complete file is renamed to ``dest``.
"""
import http.client
import os
import os.path as osp
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from typing import IO, Iterator, Optional

try:
    import fcntl
except ImportError:  # Windows: downloads are not serialised
    fcntl = None  # type: ignore[assignment]

USER_AGENT = 'stgcn_reg-downloader'
_CHUNK = 1 << 16


class DownloadError(OSError):
    """A download failed; the message says why and what is left on disk."""


class _Interrupted(Exception):
    """The connection ended before the last byte (resumable)."""


def is_url(path: object) -> bool:
    """Whether ``path`` is an ``http://`` or ``https://`` URL."""
    return isinstance(path, str) and path.startswith(('http://', 'https://'))


class ProgressBar:
    """A one-line byte counter on stderr (redrawn only on a terminal)."""

    def __init__(self, name: str, stream: Optional[IO[str]] = None) -> None:
        self.name = name
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, 'isatty', lambda: False)())
        self._last = 0.0

    def update(self, done: int, total: Optional[int],
               final: bool = False) -> None:
        """Show ``done`` of ``total`` bytes (at most 10 redraws a second)."""
        now = time.monotonic()
        if not final and (not self.live or now - self._last < 0.1):
            return
        self._last = now
        if total:
            filled = int(30 * done / total)
            text = (f'{self.name} {100 * done / total:5.1f}% '
                    f'|{"#" * filled}{" " * (30 - filled)}| '
                    f'{done / 1e6:.1f}/{total / 1e6:.1f} MB')
        else:
            text = f'{self.name} {done / 1e6:.1f} MB'
        end = '\n' if final else ''
        self.stream.write(('\r' if self.live else '') + text + end)
        self.stream.flush()


@contextmanager
def _exclusive(lock_path: str) -> Iterator[None]:
    """Hold an exclusive lock so two processes (e.g. distributed ranks)
    never write the same ``.part``; the lock file goes when done."""
    if fcntl is None:
        yield
        return
    while True:
        handle = open(lock_path, 'a')
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:  # a holder may have removed the file before we got it
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()
                                                          ).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        yield
    finally:
        os.remove(lock_path)
        handle.close()


def _size(path: str) -> int:
    return osp.getsize(path) if osp.isfile(path) else 0


def _open(url: str, offset: int, timeout: float):
    headers = {'User-Agent': USER_AGENT}
    if offset:
        headers['Range'] = f'bytes={offset}-'
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            return None  # the .part does not fit the file any more
        raise DownloadError(
            f'cannot download {url}: HTTP {error.code} {error.reason}'
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, 'reason', error)
        host = urllib.parse.urlsplit(url).netloc
        raise DownloadError(
            f'cannot reach {host} to download {url} ({reason}); are you '
            'offline?') from None


def _total(response, offset: int) -> Optional[int]:
    """The full file size the server announces, if any."""
    if response.status == 206:
        span = response.headers.get('Content-Range', '')
        total = span.rpartition('/')[2]
        return int(total) if total.isdigit() else None
    length = response.headers.get('Content-Length')
    return int(length) if length and length.isdigit() else None


def _transfer(url: str, part: str, timeout: float,
              bar: Optional[ProgressBar]) -> None:
    """Fetch the rest of ``url`` into ``part``; raise ``_Interrupted`` if
    the connection ends early."""
    offset = _size(part)
    response = _open(url, offset, timeout)
    if response is None:  # 416: start again
        os.remove(part)
        offset = 0
        response = _open(url, 0, timeout)
    with response:
        if response.status == 206:
            start = response.headers.get('Content-Range', 'bytes 0-')
            if not start.startswith(f'bytes {offset}-'):
                raise DownloadError(f'{url}: the server sent {start!r} '
                                    f'for a request from byte {offset}')
        else:
            offset = 0  # the server ignored the Range: start again
        total = _total(response, offset)
        done = offset
        with open(part, 'ab' if offset else 'wb') as file:
            try:
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    file.write(chunk)
                    done += len(chunk)
                    if bar:
                        bar.update(done, total)
            except (http.client.HTTPException, ConnectionError,
                    socket.timeout) as error:
                raise _Interrupted(f'{type(error).__name__} after {done} '
                                   'bytes') from None
    if total is not None and done != total:
        raise _Interrupted(f'connection closed after {done} of {total} '
                           'bytes')
    if bar:
        bar.update(done, total, final=True)


def download(url: str,
             dest: str,
             retries: int = 3,
             timeout: float = 30.0,
             progress: bool = True) -> str:
    """Download ``url`` to ``dest``, resuming an earlier ``.part``.

    Args:
        url (str): ``http(s)://`` address.
        dest (str): File to write; its folder is created.
        retries (int): How often an interrupted transfer is resumed
            within this call. Defaults to 3.
        timeout (float): Seconds to wait for the server. Defaults to 30.
        progress (bool): Show a progress bar on stderr. Defaults to True.

    Returns:
        str: ``dest``, complete.

    Raises:
        DownloadError: Offline, an HTTP error (e.g. 404: nothing is
            written) or a transfer interrupted more than ``retries``
            times (``<dest>.part`` keeps the bytes for the next run).
    """
    folder = osp.dirname(osp.abspath(dest))
    os.makedirs(folder, exist_ok=True)
    part = dest + '.part'
    bar = ProgressBar(osp.basename(dest)) if progress else None
    with _exclusive(osp.join(folder, f'.{osp.basename(dest)}.lock')):
        if osp.isfile(dest):  # another process finished it meanwhile
            return dest
        for attempt in range(retries + 1):
            try:
                _transfer(url, part, timeout, bar)
            except _Interrupted as error:
                reason = str(error)
                if attempt < retries and bar:
                    bar.stream.write(f'\n{url}: {reason}; resuming\n')
                continue
            except BaseException:
                if osp.isfile(part) and not _size(part):
                    os.remove(part)
                raise
            os.replace(part, dest)
            return dest
    raise DownloadError(
        f'downloading {url} was interrupted {retries + 1} times (last: '
        f'{reason}); {part} keeps the {_size(part)} bytes received, run '
        'again to resume')
