#!/usr/bin/env bash
# The original tool's command, kept for habit: download the released
# ST-GCN models and convert them (see tools/get_models.py --help).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${VIRTUAL_ENV:-}${CONDA_PREFIX:-}" ]]; then
  PY=python
elif [[ -x .venv/bin/python ]]; then
  PY=.venv/bin/python
else
  PY=python3
fi
exec "$PY" tools/get_models.py "$@"
