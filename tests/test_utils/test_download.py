"""Resumable downloads against a loopback HTTP server."""
import io
import os
import socket

import numpy as np
import pytest
from loopback_server import serve_loopback  # noqa: F401 (fixture)

from stgcn_reg.utils.download import (
    DownloadError,
    ProgressBar,
    download,
    is_url,
)

PAYLOAD = np.random.default_rng(0).bytes(300_000)


def test_a_complete_download(loopback_server, tmp_path):
    loopback_server.files['/w.pt'] = PAYLOAD
    dest = str(tmp_path / 'sub' / 'w.pt')
    assert download(loopback_server.url('w.pt'), dest, progress=False) == dest
    with open(dest, 'rb') as file:
        assert file.read() == PAYLOAD
    assert os.listdir(tmp_path / 'sub') == ['w.pt']
    assert loopback_server.requests == [('/w.pt', None)]


def test_an_interrupted_transfer_resumes_in_the_same_call(
        loopback_server, tmp_path):
    loopback_server.files['/w.pt'] = PAYLOAD
    loopback_server.drops['/w.pt'] = 1
    dest = str(tmp_path / 'w.pt')
    download(loopback_server.url('w.pt'), dest, progress=False)
    with open(dest, 'rb') as file:
        assert file.read() == PAYLOAD
    half = len(PAYLOAD) // 2
    assert loopback_server.requests == [('/w.pt', None),
                                        ('/w.pt', f'bytes={half}-')]
    assert os.listdir(tmp_path) == ['w.pt']


def test_a_later_run_resumes_the_part_file(loopback_server,
                                           tmp_path):
    loopback_server.files['/w.pt'] = PAYLOAD
    loopback_server.drops['/w.pt'] = 1
    dest = str(tmp_path / 'w.pt')
    with pytest.raises(DownloadError,
                       match=r'interrupted 1 times .*w\.pt\.part keeps the '
                       r'150000 bytes received, run again to resume'):
        download(loopback_server.url('w.pt'), dest, retries=0,
                 progress=False)
    # only the part file: never a half-written w.pt
    assert os.listdir(tmp_path) == ['w.pt.part']
    # a second drop halfway through the rest, then the rest of the rest
    loopback_server.drops['/w.pt'] = 1
    download(loopback_server.url('w.pt'), dest, retries=1, progress=False)
    with open(dest, 'rb') as file:
        assert file.read() == PAYLOAD
    assert [r for _, r in loopback_server.requests] == [
        None, 'bytes=150000-', 'bytes=225000-'
    ]
    assert os.listdir(tmp_path) == ['w.pt']


def test_a_stale_part_longer_than_the_file_starts_again(
        loopback_server, tmp_path):
    loopback_server.files['/w.pt'] = PAYLOAD[:1000]
    dest = str(tmp_path / 'w.pt')
    with open(dest + '.part', 'wb') as file:
        file.write(b'x' * 5000)
    download(loopback_server.url('w.pt'), dest, progress=False)
    with open(dest, 'rb') as file:
        assert file.read() == PAYLOAD[:1000]
    assert [r for _, r in loopback_server.requests] == ['bytes=5000-', None]


def test_404_is_clear_and_leaves_nothing(loopback_server,
                                         tmp_path):
    dest = str(tmp_path / 'missing.pt')
    url = loopback_server.url('missing.pt')
    with pytest.raises(DownloadError,
                       match=f'cannot download {url}: HTTP 404 Not Found'):
        download(url, dest, progress=False)
    assert os.listdir(tmp_path) == []


def test_offline_is_clear(tmp_path):
    # a port nothing listens on: connection refused, as when offline
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    url = f'http://127.0.0.1:{port}/w.pt'
    with pytest.raises(DownloadError,
                       match=f'cannot reach 127.0.0.1:{port} to download '
                       f'{url} .*are you offline'):
        download(url, str(tmp_path / 'w.pt'), progress=False)
    assert os.listdir(tmp_path) == []


def test_progress_bar_shows_the_fraction():
    stream = io.StringIO()
    bar = ProgressBar('w.pt', stream)
    bar.update(50, 200)  # not a terminal: only the final line is written
    bar.update(200, 200, final=True)
    assert stream.getvalue() == (
        'w.pt 100.0% |##############################| 0.0/0.0 MB\n')


def test_is_url():
    assert is_url('https://host/a.pt') and is_url('http://127.0.0.1:8/a')
    assert not is_url('a.pt') and not is_url(None)
