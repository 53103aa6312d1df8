#!/usr/bin/env bash
# Set up (tools/setup_env.sh), lint, then run the whole test suite,
# including the end-to-end runs marked slow. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash tools/setup_env.sh | tail -n 1)
"$PY" -m ruff check .
"$PY" -m pytest -q "$@"
