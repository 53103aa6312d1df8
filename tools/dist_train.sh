#!/usr/bin/env bash
# Distributed training with torchrun: bash tools/dist_train.sh CONFIG GPUS
# [train.py args]. Several nodes: set NNODES, NODE_RANK, MASTER_ADDR and
# PORT on every node. Without GPUs each process trains on CPU (gloo).
set -euo pipefail
# shellcheck source=tools/launch_common.sh
source "$(dirname "$0")/launch_common.sh"
require_args 2 "CONFIG NUM_PROCESSES_PER_NODE [train.py args...]" "$@"
CONFIG=$1
GPUS=$2
shift 2
torchrun_tool "$GPUS" train.py "$CONFIG" --launcher pytorch "$@"
