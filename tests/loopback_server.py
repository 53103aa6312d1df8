"""A small HTTP file server on 127.0.0.1 for download tests.

It serves bytes from a dict, honours ``Range: bytes=N-`` (206 with
``Content-Range``; 416 past the end), answers 404 for unknown paths, can
drop the connection halfway through a response (announcing the full
``Content-Length`` first, as a broken transfer does) and records every
request's path and ``Range`` header.
"""
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List, Optional, Tuple

import pytest


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server: 'LoopbackServer'

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server = self.server
        requested = self.headers.get('Range')
        server.requests.append((self.path, requested))
        data = server.files.get(self.path)
        if data is None:
            self.send_error(404, 'Not Found')
            return
        start = 0
        if requested:
            match = re.fullmatch(r'bytes=(\d+)-', requested)
            start = int(match[1]) if match else 0
            if start >= len(data):
                self.send_response(416)
                self.send_header('Content-Range', f'bytes */{len(data)}')
                self.send_header('Content-Length', '0')
                self.end_headers()
                return
        body = data[start:]
        self.send_response(206 if requested else 200)
        if requested:
            self.send_header('Content-Range',
                             f'bytes {start}-{len(data) - 1}/{len(data)}')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Accept-Ranges', 'bytes')
        self.end_headers()
        if server.drops.get(self.path, 0) > 0:
            server.drops[self.path] -= 1
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True  # the rest never comes
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Keep test output quiet."""


class LoopbackServer(ThreadingHTTPServer):
    """The server; ``url(path)`` is the address of a served file."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(('127.0.0.1', 0), _Handler)
        self.files: Dict[str, bytes] = {}
        self.drops: Dict[str, int] = {}
        self.requests: List[Tuple[str, Optional[str]]] = []

    def url(self, path: str) -> str:
        """``http://127.0.0.1:PORT/path``."""
        return f'http://127.0.0.1:{self.server_address[1]}/{path.lstrip("/")}'


@pytest.fixture(name='loopback_server')
def serve_loopback() -> Iterator[LoopbackServer]:
    """Fixture ``loopback_server``: a running :class:`LoopbackServer`,
    shut down after the test (import ``serve_loopback`` to use it)."""
    server = LoopbackServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
