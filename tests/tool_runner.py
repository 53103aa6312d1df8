"""Helpers for tests that run the command-line tools in subprocesses.

``run_tool`` runs ``python tools/<name>.py ...`` the way a user does, but
as a fork of a warm interpreter that has imported torch and mmengine once
(``tests/tool_server.py``): the same process for the tool, without the
two seconds of imports per run. A request whose environment differs in
what those imports read (``PYTHON*`` but ``PYTHONPATH``, ``OMP_*``,
``TORCH*``, ``LD_*``, ...) runs in a fresh interpreter, and so does every
run with ``STGCN_TESTS_FRESH_PROCESS=1`` or inside ``fresh_interpreters()``.
The server's children share its string hash seed; a run that another run
must reproduce exactly in a new process (a reference for resuming) is
made in a fresh interpreter, so that the two do not share it.
"""
import atexit
import contextlib
import fcntl
import hashlib
import json
import locale
import os
import os.path as osp
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Callable, Dict, Iterator, List, Optional

import cv2  # noqa: F401 (imported before any tool server starts: below)
import torch._dynamo  # noqa: F401
from conftest import REPO_ROOT

# cv2 and torch._dynamo are imported here, before the tool server copies
# this process's environment: their first import sets LD_LIBRARY_PATH and
# TORCHINDUCTOR_CACHE_DIR, and a first import later in a test (a model
# built or MMAction2 loaded in-process) would make this process's start-up
# variables differ from the server's and send every later run_tool to a
# fresh interpreter (see _ToolServer.fits)

# the demo model, made tiny so a run takes seconds
TINY_MODEL = [
    'model.backbone.channels=[8,8,16,16]', 'model.backbone.strides=[1,2,1,1]',
    'model.cls_head.in_channels=16'
]
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'stgcn_demo.py')
TIMEOUT = 600

FRESH_PROCESS = os.environ.get('STGCN_TESTS_FRESH_PROCESS', '') not in (
    '', '0')
SERVER = osp.join(osp.dirname(osp.abspath(__file__)), 'tool_server.py')
# read by the interpreter or while importing PRELOAD (tool_server.py); the
# server's children keep the server's values, so a request that differs
# in one of them gets a fresh interpreter (PYTHONPATH is set per request)
STARTUP_VARIABLES = ('PYTHON', 'OMP_', 'GOMP_', 'KMP_', 'MKL_', 'OPENBLAS_',
                     'NUMPY', 'TORCH', 'PYTORCH', 'CUDA', 'NVIDIA', 'LD_',
                     'MALLOC_', 'GLIBC_', 'MMENGINE', 'HDF5', 'LANG', 'LC_',
                     'TMP', 'TEMP', 'HOME', 'XDG_', 'TZ', 'MPL')
PER_REQUEST = ('PYTHONPATH', )


def tool(name: str) -> str:
    """Path of ``tools/<name>``."""
    return osp.join(REPO_ROOT, 'tools', name)


def _decode(data: bytes) -> str:
    """As ``subprocess.run(text=True)`` decodes (universal newlines)."""
    text = data.decode(locale.getpreferredencoding(False))
    return text.replace('\r\n', '\n').replace('\r', '\n')


class _ToolServer:
    """The warm interpreter of this test process (one per xdist worker)."""

    def __init__(self, env: Dict[str, str]) -> None:
        self.env = env
        self.lock = threading.Lock()
        self.pending = b''
        self.proc = subprocess.Popen(
            [sys.executable, SERVER], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            cwd=tempfile.gettempdir(), bufsize=0)
        atexit.register(self.close)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def fits(self, args: List[str], env: Dict[str, str]) -> bool:
        """Whether the server's children can run this as a fresh
        interpreter would: a Python script, the same start-up variables."""
        if not args or not args[0].endswith('.py') or not osp.isfile(
                args[0]) or self.proc.poll() is not None:
            return False
        return not any(
            env.get(key) != self.env.get(key)
            for key in set(env) | set(self.env)
            if key.startswith(STARTUP_VARIABLES) and key not in PER_REQUEST)

    def _answer(self, deadline: Optional[float]) -> Optional[dict]:
        fd = self.proc.stdout.fileno()
        while b'\n' not in self.pending:
            wait = None if deadline is None else max(
                0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], wait)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError('the tool server (tests/tool_server.py) '
                                   'ended; rerun with '
                                   'STGCN_TESTS_FRESH_PROCESS=1')
            self.pending += chunk
        line, self.pending = self.pending.split(b'\n', 1)
        return json.loads(line)

    def run(self, args: List[str], cwd: str, env: Dict[str, str],
            timeout: float) -> subprocess.CompletedProcess:
        command = [sys.executable, *args]
        with tempfile.TemporaryDirectory() as folder:
            out, err = osp.join(folder, 'stdout'), osp.join(folder, 'stderr')
            request = dict(argv=list(args), cwd=osp.abspath(cwd), env=env,
                           stdout=out, stderr=err)
            self.proc.stdin.write(json.dumps(request).encode() + b'\n')
            pid = self._answer(None)['pid']
            answer = self._answer(time.monotonic() + timeout)
            if answer is None:  # as subprocess.run: kill, then raise
                os.kill(pid, signal.SIGKILL)
                self._answer(None)
            with open(out, 'rb') as file:
                stdout = _decode(file.read())
            with open(err, 'rb') as file:
                stderr = _decode(file.read())
        if answer is None:
            raise subprocess.TimeoutExpired(command, timeout, stdout, stderr)
        return subprocess.CompletedProcess(command, answer['status'], stdout,
                                           stderr)


_server: Optional[_ToolServer] = None


def run_python(args: List[str], cwd: str, env: Dict[str, str],
               timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """``python *args`` with ``env`` in ``cwd``, output captured as text:
    a fork of the tool server where it fits, else a fresh interpreter."""
    global _server
    if not FRESH_PROCESS:
        if _server is None:
            _server = _ToolServer(dict(os.environ, OMP_NUM_THREADS='1',
                                       CUDA_VISIBLE_DEVICES=''))
        # one request at a time; a concurrent one starts its own process
        if _server.fits(args, env) and _server.lock.acquire(blocking=False):
            try:
                return _server.run(args, cwd, env, timeout)
            finally:
                _server.lock.release()
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@contextlib.contextmanager
def fresh_interpreters() -> Iterator[None]:
    """Tools run inside the block start fresh interpreters."""
    global FRESH_PROCESS
    before, FRESH_PROCESS = FRESH_PROCESS, True
    try:
        yield
    finally:
        FRESH_PROCESS = before


def run_tool(*args: str, cwd: str, expect_rc: Optional[int] = 0,
             extra_env: Optional[Dict[str, str]] = None) -> str:
    """Run a Python tool on CPU; return stdout + stderr.

    Fails with the output's tail when the exit code is not ``expect_rc``
    (``None`` accepts any).
    """
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    env.update(extra_env or {})
    proc = run_python(list(args), cwd=cwd, env=env)
    output = proc.stdout + proc.stderr
    if expect_rc is not None:
        assert proc.returncode == expect_rc, output[-4000:]
    return output


def data_options(folder: str) -> List[str]:
    """``--cfg-options`` pointing every dataloader at ``folder``'s files."""
    return [
        f'{loader}.dataset.{key}={folder}/{split}_{suffix}'
        for loader, split in (('train_dataloader', 'train'),
                              ('val_dataloader', 'val'),
                              ('test_dataloader', 'val'))
        for key, suffix in (('data_path', 'data.npy'),
                            ('label_path', 'label.pkl'))
    ]


def make_demo_data(folder: str, num_train: int = 32, num_val: int = 16,
                   num_frames: int = 16) -> str:
    """Write a small synthetic demo dataset with the real generator."""
    run_tool(tool('make_demo_data.py'), '--out-dir', folder, '--num-train',
             str(num_train), '--num-val', str(num_val), '--num-frames',
             str(num_frames), cwd=folder)
    return folder


def made_once(name: str, tmp_path_factory, make: Callable[[str], None],
              *inputs: str) -> str:
    """A folder that ``make(folder)`` fills once per test session, for all
    its test processes (xdist workers) and test files: the first to ask
    makes it under a file lock, the others wait for it and reuse it.

    ``inputs`` (files or folders) are hashed into the folder's name, so
    processes whose inputs differ in content do not share it. Tests only
    read the folder; a test that changes files copies them first.
    """
    root = str(tmp_path_factory.getbasetemp())
    if os.environ.get('PYTEST_XDIST_WORKER'):
        root = osp.dirname(root)  # the session's, above the workers'
    digest = hashlib.sha256()
    for path in inputs:
        files = [path] if osp.isfile(path) else sorted(
            osp.join(folder, file) for folder, _, names in os.walk(path)
            for file in names)
        for file in files:
            digest.update(osp.relpath(file, path).encode() + b'\0')
            with open(file, 'rb') as data:
                digest.update(data.read())
    folder = osp.join(root, f'made_once_{name}_{digest.hexdigest()[:16]}')
    with open(folder + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not osp.isfile(osp.join(folder, '.made')):
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            make(folder)
            open(osp.join(folder, '.made'), 'w').close()
    return folder
