#!/usr/bin/env bash
# The README demo: install, write the synthetic demo dataset, train the
# demo config on CPU, test the last checkpoint on the held-out split.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash tools/setup_env.sh | tail -n 1)
WORK_DIR=work_dirs/stgcn_demo
"$PY" tools/make_demo_data.py --out-dir data/demo
# a rerun replaces the previous demo run (moved aside), unless resuming
REPLACE=--overwrite
for arg in "$@"; do [[ $arg == --resume* ]] && REPLACE=; done
"$PY" tools/train.py configs/stgcn_demo.py --work-dir "$WORK_DIR" $REPLACE "$@"
# last_checkpoint names the checkpoint relative to the work dir
CHECKPOINT=$WORK_DIR/$(cat "$WORK_DIR/last_checkpoint")
"$PY" tools/test.py configs/stgcn_demo.py "$CHECKPOINT" \
  --work-dir "$WORK_DIR" --dump "$WORK_DIR/val_scores.pkl"
