#!/usr/bin/env bash
# Set up (tools/setup_env.sh), lint, then run the whole test suite,
# including the end-to-end runs marked slow, on one pytest-xdist worker
# per core (at most 8; TEST_WORKERS=N to choose). A file's tests run on
# one worker (--dist loadfile) so its module fixtures are built once; the
# longest files start first (tests/conftest.py). Extra args go to pytest
# (e.g. -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash tools/setup_env.sh | tail -n 1)
"$PY" -m ruff check .
# bytecode for the package, tools and tests once: the tool runs of the
# tests start in fresh children that would otherwise compile every module
# again when PYTHONDONTWRITEBYTECODE is set
"$PY" -m compileall -q stgcn_reg tools tests >/dev/null
cores=$(nproc 2>/dev/null || echo 2)
workers=${TEST_WORKERS:-$((cores < 8 ? cores : 8))}
"$PY" -m pytest -q -n "$workers" --dist loadfile --no-loadscope-reorder "$@"
