"""Run ``python tools/<name>.py ...`` as forks of one warm interpreter.

Most of a tiny tool run is the interpreter importing torch and mmengine
(about 1.5 of 2 s on a fast CPU). This server imports those third-party
packages once (``PRELOAD``), then forks a child per request that becomes
what a fresh ``python <script> <args>`` would be: the request's working
directory, environment, ``sys.argv``, ``sys.path`` (the script's folder
and the request's ``PYTHONPATH`` first), stdin from /dev/null, stdout and
stderr into the given files, and the script run as ``__main__``; its exit
status (negative: killed by that signal) goes back to the client. Nothing
of ``stgcn_reg`` or ``tools/`` is imported before the fork, so the
package's imports and registrations happen in the child as in a fresh
process.

Protocol, one JSON object per line: the client writes ``{"argv": [script,
*args], "cwd", "env", "stdout", "stderr"}``; the server answers
``{"pid": N}`` once the child runs, then ``{"status": S}``. It serves one
request at a time and exits when its stdin closes (the client is gone).
See ``tool_runner.run_tool``, which falls back to a fresh interpreter
where a request's environment differs in what the imports already read.
"""
import io
import json
import os
import sys

# third-party modules that the tools import on start (stgcn_reg pulls in
# torch._dynamo and h5py; mmengine's Visualizer pyplot); nothing of this
# repository
PRELOAD = ('numpy', 'torch', 'torch._dynamo', 'mmengine.runner', 'h5py', 'cv2',
           'matplotlib.pyplot')


def _child(request: dict, channels) -> None:
    """Become ``python <script> <args>`` as requested; end the process."""
    for fd in channels:
        os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, request['stdout']), (2, request['stderr'])):
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, fd)
        os.close(out)
    env = request['env']
    os.chdir(request['cwd'])
    os.environ.clear()
    os.environ.update(env)

    unbuffered = bool(env.get('PYTHONUNBUFFERED'))
    encoding = sys.stdout.encoding

    def stream(fd: int, mode: str, **kwargs) -> io.TextIOWrapper:
        buffered = open(fd, mode + 'b', closefd=False,
                        buffering=0 if unbuffered and mode == 'w' else -1)
        return io.TextIOWrapper(buffered, encoding=encoding,
                                write_through=unbuffered and mode == 'w',
                                **kwargs)

    sys.stdin = sys.__stdin__ = stream(0, 'r')
    sys.stdout = sys.__stdout__ = stream(1, 'w', errors='strict')
    sys.stderr = sys.__stderr__ = stream(2, 'w', errors='backslashreplace',
                                         line_buffering=True)

    script = os.path.abspath(request['argv'][0])
    extra = [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p]
    sys.path[:] = [os.path.dirname(os.path.realpath(script)), *extra,
                   *BASE_PATH]
    sys.argv[:] = [script, *request['argv'][1:]]
    import importlib
    importlib.invalidate_caches()
    import multiprocessing.process
    multiprocessing.process.ORIGINAL_DIR = os.getcwd()
    # a fresh interpreter draws new seeds
    import random
    random.seed()
    if 'numpy' in sys.modules:
        sys.modules['numpy'].random.seed()

    import builtins
    import importlib.machinery
    import types
    main = types.ModuleType('__main__')
    main.__file__ = script
    main.__builtins__ = builtins
    main.__loader__ = importlib.machinery.SourceFileLoader('__main__',
                                                           script)
    main.__spec__ = None
    main.__cached__ = None
    sys.modules['__main__'] = main
    with open(script, 'rb') as file:
        source = file.read()
    try:
        exec(compile(source, script, 'exec', dont_inherit=True),
             main.__dict__)
        code = 0
    except SystemExit as stop:
        code = stop.code
    except BaseException:
        kind, value, trace = sys.exc_info()
        trace = trace.tb_next  # the traceback starts in the script
        sys.excepthook(kind, value.with_traceback(trace), trace)
        code = 1
    # ends as the interpreter does: atexit handlers, flushed streams
    sys.exit(code)


def serve() -> tuple:
    """Answer requests until stdin closes; in a child, return its request
    and the server's channels."""
    channel_in = os.dup(0)
    channel_out = os.dup(1)
    # a library printing must not write into the answers
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    requests = open(channel_in, closefd=False)
    answers = open(channel_out, 'w', closefd=False)
    for line in requests:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            return request, (channel_in, channel_out)
        answers.write(json.dumps(dict(pid=pid)) + '\n')
        answers.flush()
        _, status = os.waitpid(pid, 0)
        code = (-os.WTERMSIG(status) if os.WIFSIGNALED(status) else
                os.WEXITSTATUS(status))
        answers.write(json.dumps(dict(status=code)) + '\n')
        answers.flush()
    return None, ()


if __name__ == '__main__':
    # sys.path as a fresh interpreter has it, less this file's folder and
    # this process's PYTHONPATH (a request brings its own)
    own = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep)
           if p]
    BASE_PATH = [p for p in sys.path[1:] if p not in own]
    import gc
    import importlib
    for name in PRELOAD:
        importlib.import_module(name)
    # what the preload made stays: no collection in the children walks it
    # (the children's interpreter shutdown is 0.1 s instead of 0.8 s)
    gc.collect()
    gc.freeze()
    request, channels = serve()
    if request is not None:
        _child(request, channels)
