# Sourced by dist_train.sh, dist_test.sh and slurm_train.sh: their argument
# check, the repository root, the Python to run and the torchrun start.

# require_args MIN USAGE ARGS...: exit 2 with "usage: <script> USAGE" when
# fewer than MIN ARGS are given.
require_args() {
  local min=$1 usage=$2
  shift 2
  if [[ $# -lt $min ]]; then
    echo "usage: $0 $usage" >&2
    exit 2
  fi
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=${PYTHON:-python}

# torchrun_tool PROCESSES_PER_NODE TOOL ARGS...: replace this shell with
# torchrun running tools/TOOL ARGS on this node (NNODES, NODE_RANK,
# MASTER_ADDR and PORT from the environment).
torchrun_tool() {
  local processes=$1 tool=$2
  shift 2
  exec "$PYTHON" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" \
    --nproc_per_node="$processes" \
    "$ROOT/tools/$tool" "$@"
}
