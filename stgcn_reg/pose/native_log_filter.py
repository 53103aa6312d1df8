"""Drop mediapipe's start-up notices from the terminal, keep all else.

Each BlazePose graph prints the same lines on its first frame from C++
(TensorFlow Lite and absl write to file descriptor 2 directly, so neither
``GLOG_minloglevel`` nor Python's ``warnings`` reach them): two per
tracker, about twenty for a video of a few people, between the progress
bar's updates. They say nothing the user can act on.
"""
import os
import sys
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator

# lines mediapipe 0.10.14 prints when a pose graph runs its first frame
START_UP_NOTICES = (
    b'Created TensorFlow Lite XNNPACK delegate for CPU',
    b'All log messages before absl::InitializeLog() is called',
    b'Feedback manager requires a model with a single signature',
)


def is_start_up_notice(line: bytes) -> bool:
    """Whether a line is one of :data:`START_UP_NOTICES`."""
    return any(notice in line for notice in START_UP_NOTICES)


@contextmanager
def start_up_notices_dropped() -> Iterator[None]:
    """Run the block with file descriptor 2 written to a temporary file,
    then write back every line of it that is not a start-up notice (an
    error raised in the block keeps its message, only later)."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all: nothing to filter
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().splitlines(True)
                    if not is_start_up_notice(line)]
            if kept:
                os.write(2, b''.join(kept))


class QuietFirstFrame:
    """A mediapipe solution whose first ``process`` call runs inside
    :func:`start_up_notices_dropped`; everything else passes through."""

    def __init__(self, solution: Any) -> None:
        self._solution = solution
        self._started = False

    def process(self, image: Any) -> Any:
        """The solution's ``process``; its notices dropped the first time."""
        if self._started:
            return self._solution.process(image)
        self._started = True
        with start_up_notices_dropped():
            return self._solution.process(image)

    def close(self) -> None:
        """Close the wrapped solution."""
        self._solution.close()
