#!/usr/bin/env bash
# Distributed testing with torchrun:
# bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args].
# Several nodes: set NNODES, NODE_RANK, MASTER_ADDR and PORT on every node.
set -euo pipefail
# shellcheck source=tools/launch_common.sh
source "$(dirname "$0")/launch_common.sh"
require_args 3 "CONFIG CHECKPOINT NUM_PROCESSES_PER_NODE [args...]" "$@"
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
shift 3
torchrun_tool "$GPUS" test.py "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
