#!/usr/bin/env bash
# The model benchmark on a GPU machine that has python3 with a CUDA torch
# but no mmengine and no internet, from wheels carried in the tree.
#
#   bash tools/gpu_benchmark.sh --prepare   # here, with PyPI: fetch wheels
#   bash tools/gpu_benchmark.sh             # there: install what is
#                                           # missing, run, write the report
#
# The run checks that CUDA is there (else one error line, exit 1), installs
# the missing packages of the list below from the wheel folder into a
# temporary --target folder put on PYTHONPATH (torch and whatever the
# machine has are left alone), then runs tools/benchmark.py model --device
# cuda at the NTU shape, batch 64, once per precision: fp32 (ours,
# ours_layered, ours_cp, plain, mmaction2), AMP bf16 and AMP fp16 (ours,
# ours_layered, plain, mmaction2), then, while the time budget allows,
# ours against ours_compile in bf16 and in fp32. Each run writes
# benchmarks/gpu_<device>_<run>.json; all the reports go into
# benchmarks/gpu_<device>.md (the device as torch names it, e.g.
# gpu_nvidia_h200.md) with the issue's GPU goal, rewritten after every
# run, so that a run stopped by the budget keeps what was done. Run with
# --help for the options.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: bash tools/gpu_benchmark.sh [MODE] [OPTIONS]

modes (default: run the GPU benchmark; needs CUDA):
  --prepare       download the wheels of the list into the wheel folder
                  (needs PyPI; run it where the tree is, before carrying it)
  --list          print the wheel list: tier, requirement, import, kind
  --install-only  install what is missing from the wheel folder (into a
                  temporary folder, removed at the end) and check that the
                  benchmark imports; no CUDA needed, no benchmark
  --cpu-test      the whole run on the CPU at --quick sizes, to test this
                  script without a GPU (writes to work_dirs/gpu_benchmark_cpu)
  -h, --help      this help

options:
  --wheels DIR    wheel folder (default: $GPU_BENCH_WHEELS or
                  benchmarks/wheels)
  --out-dir DIR   where the report and JSON files go (default: benchmarks;
                  with --quick work_dirs/gpu_benchmark_quick, with
                  --cpu-test work_dirs/gpu_benchmark_cpu)
  --copy-to DIR   also copy the report, the JSON files and the log
                  (gpu_<device>.log beside the report) there after every
                  run (e.g. the device tool's $OUT)
  --budget S      stop starting runs, and stop a run, S seconds after the
                  start (default: $GPU_BENCH_BUDGET_S or 360)
  --quick         tiny sizes (demo preset, batch 4, 32 frames, 2 repeats):
                  a check of the whole script in a minute or two

environment:
  PYTHON              the interpreter that holds torch (default: python3)
  GPU_BENCH_WHEELS    as --wheels
  GPU_BENCH_BUDGET_S  as --budget
  GPU_BENCH_PYTHONS   --prepare: Python versions to fetch the binary wheels
                      for, space-separated (default: 3.12, the GPU machine's)
EOF
}

# The wheels carried to the GPU machine, exactly what `tools/benchmark.py
# model` imports beyond python3, torch, numpy and cv2 (the machine's; an
# opencv wheel is 61 MB, too big to carry). core: ours and plain (mmengine
# with --no-deps and what its import path needs; h5py because benchmarks/
# __init__.py imports the data benchmark). mmaction: the MMAction2 1.2.0
# peer, as tools/setup_env.sh installs it, less scipy (MMAction2's STGCN
# path does not import it); without these the variant is skipped with the
# reason. Not carried, since that import path does not use them: matplotlib
# and opencv-python (mmengine declares both), markdown-it-py, mdurl and
# pygments (rich declares them), zipp (importlib_metadata), scipy, decord.
# Fields: tier, pinned requirement, import name, pure (py3-none-any) or
# binary (one wheel per Python version, see GPU_BENCH_PYTHONS).
WHEEL_LIST='
core     mmengine==0.10.7           mmengine            pure
core     addict==2.4.0              addict              pure
core     yapf==0.43.0               yapf                pure
core     platformdirs==4.14.9       platformdirs        pure
core     termcolor==3.3.0           termcolor           pure
core     rich==15.0.0               rich                pure
core     packaging==26.4            packaging           pure
core     pyyaml==6.0.4              yaml                binary
core     h5py==3.16.0               h5py                binary
mmaction mmcv-lite==2.1.0           mmcv                pure
mmaction mmaction2==1.2.0           mmaction            pure
mmaction einops==0.8.2              einops              pure
mmaction importlib_metadata==10.2.0 importlib_metadata  pure
mmaction lazy-importer==0.1.0       lazy_importer       pure
mmaction pillow==13.0.0             PIL                 binary
'
# not carried; the run fails with what to install when one is missing
PREREQUISITES='torch numpy cv2'
PLATFORMS=(manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64
           manylinux2014_x86_64 manylinux1_x86_64)

die() { echo "gpu_benchmark.sh: error: $*" >&2; exit 1; }
SITE=  # the --target folder of the installed wheels
PARTS=  # each run's report, until it goes into the whole one
# shellcheck disable=SC2329  # run by the trap
cleanup() {
  local dir
  for dir in "$SITE" "$PARTS"; do [[ -z $dir ]] || rm -rf "$dir"; done
}
trap cleanup EXIT
say() { echo "gpu_benchmark.sh: $*"; }

# requirements (or import names, with field 3) of one tier and kind
list_field() {  # TIER|* KIND|* FIELD
  awk -v tier="$1" -v kind="$2" -v field="$3" \
    'NF == 4 && (tier == "*" || $1 == tier) && (kind == "*" || $4 == kind) \
     { print $field }' <<<"$WHEEL_LIST"
}

MODE=run
QUICK=0
WHEELS=${GPU_BENCH_WHEELS:-benchmarks/wheels}
OUT_DIR=
COPY_TO=
BUDGET=${GPU_BENCH_BUDGET_S:-360}
PY=${PYTHON:-python3}
while (($#)); do
  case $1 in
    --prepare) MODE=prepare ;;
    --list) MODE=list ;;
    --install-only) MODE=install ;;
    --cpu-test) MODE=cpu-test ;;
    --quick) QUICK=1 ;;
    --wheels|--out-dir|--copy-to|--budget)
      (($# >= 2)) || { usage >&2; die "$1 needs a value"; }
      case $1 in
        --wheels) WHEELS=$2 ;;
        --out-dir) OUT_DIR=$2 ;;
        --copy-to) COPY_TO=$2 ;;
        --budget) BUDGET=$2 ;;
      esac
      shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo "gpu_benchmark.sh: error: unknown argument $1" >&2
       exit 2 ;;
  esac
  shift
done
[[ $BUDGET =~ ^[0-9]+$ ]] || die "--budget must be whole seconds, got $BUDGET"

prepare() {
  local tmp version failed=0
  mkdir -p "$WHEELS"
  tmp=$(mktemp -d)
  # shellcheck disable=SC2046  # one requirement per word
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" \
    $(list_field '*' pure 2) || failed=1
  local platform_args=(--implementation cp)
  for platform in "${PLATFORMS[@]}"; do
    platform_args+=(--platform "$platform")
  done
  for version in ${GPU_BENCH_PYTHONS:-3.12}; do
    # shellcheck disable=SC2046
    "$PY" -m pip download --quiet --no-deps --only-binary=:all: \
      --python-version "$version" "${platform_args[@]}" -d "$tmp" \
      $(list_field '*' binary 2) || failed=1
  done
  mv "$tmp"/*.whl "$WHEELS"/ 2>/dev/null || true
  rm -rf "$tmp"
  ((failed == 0)) || die "pip download failed (see above)"
  local expected name
  expected=$(list_field '*' '*' 2 | sed 's/==.*//; s/[-_.]/_/g' |
    tr '[:upper:]' '[:lower:]')
  for file in "$WHEELS"/*.whl; do
    name=$(basename "$file" | sed 's/-.*//; s/[-_.]/_/g' |
      tr '[:upper:]' '[:lower:]')
    grep -qx "$name" <<<"$expected" ||
      say "note: $file is not in the list (delete it to carry less)"
  done
  ls -l "$WHEELS"/*.whl
  local bytes files=("$WHEELS"/*.whl)
  bytes=$(cat "${files[@]}" | wc -c)
  say "${#files[@]} wheels, $((bytes / 1024)) KiB in" \
    "$WHEELS (binary ones for Python ${GPU_BENCH_PYTHONS:-3.12})"
  ((bytes < 48 * 1024 * 1024)) ||
    say "warning: over 48 MiB; the device tool carries 64 MiB in all"
}

# prints the import names of the list that $PY cannot find, one a line
missing_imports() {  # TIER
  # shellcheck disable=SC2046
  "$PY" - $(list_field "$1" '*' 3) <<'EOF'
import importlib.util
import sys
for name in sys.argv[1:]:
    if importlib.util.find_spec(name) is None:
        print(name)
EOF
}

# requirements of TIER whose import is missing
missing_requirements() {  # TIER
  local missing
  missing=$(missing_imports "$1")
  [[ -n $missing ]] || return 0
  awk -v tier="$1" 'NR == FNR { want[$1] = 1; next }
    NF == 4 && $1 == tier && ($3 in want) { print $2 }' \
    <(echo "$missing") <(echo "$WHEEL_LIST")
}

install_tier() {  # TIER REQUIRED(1|0)
  local wanted
  wanted=$(missing_requirements "$1")
  if [[ -z $wanted ]]; then
    say "$1: all present"
    return 0
  fi
  say "$1: installing from $WHEELS: ${wanted//$'\n'/ }"
  if [[ -z $SITE ]]; then
    SITE=$(mktemp -d "${TMPDIR:-/tmp}/gpu_benchmark_site.XXXXXX")
    export PYTHONPATH=$SITE${PYTHONPATH:+:$PYTHONPATH}
  fi
  local log
  log=$(mktemp)
  # --no-deps: only these; --target: the machine's packages stay as they are
  # shellcheck disable=SC2086
  if "$PY" -m pip install --quiet --no-index --find-links "$WHEELS" \
      --no-deps --no-compile --no-cache-dir --disable-pip-version-check \
      --target "$SITE" $wanted >"$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  cat "$log" >&2
  rm -f "$log"
  local python
  python=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  local why="could not install ${wanted//$'\n'/ } from $WHEELS for Python"
  why+=" $python (fill it with bash tools/gpu_benchmark.sh --prepare, with"
  why+=" GPU_BENCH_PYTHONS=$python for the binary wheels)"
  if (($2)); then
    die "$why"
  fi
  say "warning: $why; the variants that need them will be skipped"
}

# one interpreter start for all that torch tells (importing it takes
# seconds): torch itself, CUDA when DEVICE is cuda, the prerequisites;
# sets DEVICE_NAME, SLUG (that name as a file name) and ENV_TEXT
probe_torch() {  # DEVICE(cuda|cpu|none)
  local out rc=0
  # shellcheck disable=SC2086  # one import name per word
  out=$("$PY" - "$1" $PREREQUISITES 2>/dev/null <<'EOF'
import importlib.util
import platform
import re
import sys

try:
    import torch
except Exception:
    sys.exit(3)
device, names = sys.argv[1], sys.argv[2:]
if device == 'cuda' and not torch.cuda.is_available():
    version, cuda = torch.__version__, torch.version.cuda
    print(f'torch {version} (CUDA {cuda}) sees no GPU' if cuda
          else f'torch {version} is built without CUDA')
    sys.exit(4)
missing = [name for name in names if importlib.util.find_spec(name) is None]
if missing:
    print(missing[0])
    sys.exit(5)
name = (torch.cuda.get_device_name(0) if device == 'cuda'
        else 'CPU (test run)')
print(name)
print(re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_') or 'device')
print(f'torch {torch.__version__} (CUDA {torch.version.cuda or "none"}), '
      f'Python {platform.python_version()}')
EOF
  ) || rc=$?
  case $rc in
    0) ;;
    3) die "$PY cannot import torch; set PYTHON to the interpreter that has it" ;;
    4) die "CUDA is not available to $PY: $out; run this on a GPU" \
         "machine, or use --cpu-test to test the script on the CPU" ;;
    5) die "$PY cannot import $out; install it there (not carried:" \
         "numpy and opencv-python-headless wheels are too big)" ;;
    *) die "$PY failed reading torch's device (exit $rc; run $PY -c" \
         "'import torch' to see why)" ;;
  esac
  DEVICE_NAME=$(sed -n 1p <<<"$out")
  SLUG=$(sed -n 2p <<<"$out")
  ENV_TEXT=$(sed -n 3p <<<"$out")
}

install_missing() {
  [[ -d $WHEELS ]] || say "warning: no wheel folder $WHEELS"
  install_tier core 1
  install_tier mmaction 0
  local error
  if ! error=$("$PY" -c 'import sys; sys.path.insert(0, "."); \
import benchmarks.model_benchmark' 2>&1); then
    echo "$error" >&2
    die "tools/benchmark.py model does not import (see above)"
  fi
  say "the benchmark imports${SITE:+ (installed into $SITE)}"
}

case $MODE in
  list) echo "$WHEEL_LIST" | awk 'NF == 4'; exit 0 ;;
  prepare) prepare; exit 0 ;;
  install) probe_torch none; install_missing; exit 0 ;;
  cpu-test) DEVICE=cpu; QUICK=1 ;;
  run) DEVICE=cuda ;;
esac

START=$SECONDS
probe_torch "$DEVICE"
install_missing

if ((QUICK)); then
  SIZES=(--preset demo --batch 4 --frames 32 --repeats 2 --warmup 1)
  SIZES_TEXT='demo preset (quarter width), batch 4, 32 frames, 2 repeats'
else
  # the configs' training batch; the NTU shape of the CPU results
  SIZES=(--preset ntu --batch 64 --repeats 10 --warmup 3)
  SIZES_TEXT='ntu preset, batch 64 (the NTU configs'"'"' batch), 300'
  SIZES_TEXT+=' frames, 10 interleaved repeats after 3 warm-up steps'
fi
# run name, --amp, variants, seconds that must be left to start it; the
# eager runs first, so that a slow compile cannot cost them
RUNS=(
  "fp32 none ours,ours_layered,ours_cp,plain,mmaction2 60"
  "bf16 bf16 ours,ours_layered,plain,mmaction2 45"
  "fp16 fp16 ours,ours_layered,plain,mmaction2 45"
  "bf16_compile bf16 ours,ours_compile 150"
  "fp32_compile none ours,ours_compile 150"
)

if [[ $DEVICE == cpu ]]; then
  OUT_DIR=${OUT_DIR:-work_dirs/gpu_benchmark_cpu}
elif ((QUICK)); then
  OUT_DIR=${OUT_DIR:-work_dirs/gpu_benchmark_quick}  # not results to keep
else
  OUT_DIR=${OUT_DIR:-benchmarks}
fi
mkdir -p "$OUT_DIR" ${COPY_TO:+"$COPY_TO"}
PARTS=$(mktemp -d)
REPORT=$OUT_DIR/gpu_$SLUG.md
LOG=$OUT_DIR/gpu_$SLUG.log  # ignored by git
: >"$LOG"
if command -v nvidia-smi >/dev/null && [[ $DEVICE == cuda ]]; then
  ENV_TEXT+="; nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total \
    --format=csv,noheader 2>/dev/null | head -n 1 || true)"
fi
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
declare -A STATUS=()
for spec in "${RUNS[@]}"; do  # no results of an earlier run mixed in
  read -r run _ <<<"$spec"
  rm -f "$OUT_DIR/gpu_${SLUG}_$run.json"
done

# the GPU goal of the performance issue, from the JSON of the runs that
# finished: AMP + channels-last (+ compile) training against plain fp32
goal_lines() {
  local spec run ok=()
  for spec in "${RUNS[@]}"; do
    read -r run _ <<<"$spec"
    [[ ${STATUS[$run]:-} != ok ]] || ok+=("$run")
  done
  "$PY" - "$OUT_DIR/gpu_$SLUG" "${ok[@]}" <<'EOF'
import json
import sys

prefix, done = sys.argv[1], set(sys.argv[2:])


def train_rate(run, variant):
    if run not in done:
        return None
    with open(f'{prefix}_{run}.json') as file:
        entry = json.load(file)['variants'].get(variant)
    return entry['train']['samples_per_s'] if entry else None


base = train_rate('fp32', 'plain')
if base is None:
    print('No fp32 training rate of `plain`, the base of the goal.')
    sys.exit()
print(f'Training samples/s over `plain` fp32 eager ({base:.2f}), from the '
      'separate runs above; the goal (>= 2.5x) is for AMP + channels-last '
      '+ compile:')
print()
for run, variant, words, goal in (
        ('fp32', 'ours', 'ours fp32 eager', False),
        ('bf16', 'ours', 'ours bf16 AMP eager', False),
        ('fp16', 'ours', 'ours fp16 AMP eager', False),
        ('fp32_compile', 'ours_compile', 'ours_compile fp32', False),
        ('bf16_compile', 'ours_compile', 'ours_compile bf16 AMP', True)):
    rate = train_rate(run, variant)
    if rate is None:
        print(f'- {words}: not measured')
        continue
    verdict = ''
    if goal:
        verdict = ': met' if rate / base >= 2.5 else ': NOT met'
    print(f'- {words}: {rate:.2f} samples/s = {rate / base:.2f}x{verdict}')
EOF
}

write_report() {
  local spec run amp variants _ label
  {
    echo "# ST-GCN on $DEVICE_NAME"
    echo
    echo "Written by \`bash tools/gpu_benchmark.sh\` (commit $COMMIT, with" \
      "the working tree as it was) on $(date -u +%Y-%m-%dT%H:%M:%SZ)," \
      "$((SECONDS - START)) s after its start (budget $BUDGET s):" \
      "$DEVICE_NAME, $ENV_TEXT. Sizes: $SIZES_TEXT; device $DEVICE."
    echo
    cat <<'TEXT'
Variants: `ours` (as the configs build it: channels-last, fused graph
conv), `ours_layered` (`channels_last=False`), `ours_cp` (`with_cp=True`),
`ours_compile` (`compile=True`: `torch.compile` of the blocks; no memory
run), `plain` (the equations as written), `mmaction2` (MMAction2 1.2.0
`STGCN` + `GCNHead`). AMP runs wrap every variant in `torch.autocast`
(fp16 without a loss scaler: timings only).
TEXT
    echo "The JSON of each run is beside this file: \`gpu_${SLUG}_<run>.json\`."
    for spec in "${RUNS[@]}"; do
      read -r run amp variants _ <<<"$spec"
      label="$run: --amp $amp, variants $variants"
      echo
      echo "## $label"
      echo
      if [[ ${STATUS[$run]:-} == ok ]]; then
        sed 's/^## /### /' "$PARTS/$run.md"
      else
        echo "${STATUS[$run]:-not run yet}."
      fi
    done
    echo
    echo '## GPU goal'
    echo
    goal_lines || echo '(the results could not be read; see the log)'
  } >"$REPORT.tmp"
  mv "$REPORT.tmp" "$REPORT"
  if [[ -n $COPY_TO ]]; then
    cp "$REPORT" "$LOG" "$COPY_TO"/
    for spec in "${RUNS[@]}"; do
      read -r run _ <<<"$spec"
      [[ ${STATUS[$run]:-} != ok ]] || cp "$OUT_DIR/gpu_${SLUG}_$run.json" "$COPY_TO"/
    done
  fi
}

say "device $DEVICE_NAME; report $REPORT; log $LOG"
for spec in "${RUNS[@]}"; do
  read -r run amp variants need <<<"$spec"
  left=$((BUDGET - (SECONDS - START)))
  ((left > 0)) || left=0
  if ((left < need)); then
    STATUS[$run]="not run: $left s of the $BUDGET s budget left, it needs $need"
    say "${STATUS[$run]}"
    write_report
    continue
  fi
  json=$OUT_DIR/gpu_${SLUG}_$run.json
  command=("$PY" tools/benchmark.py model --device "$DEVICE" "${SIZES[@]}"
           --amp "$amp" --variants "$variants" --out "$json")
  say "run $run ($left s of the budget left): ${command[*]}"
  echo "+ ${command[*]}" >>"$LOG"
  run_start=$SECONDS
  set +e
  PYTHONUNBUFFERED=1 timeout --kill-after=15 "$left" "${command[@]}" 2>&1 |
    tee -a "$LOG"
  rc=${PIPESTATUS[0]}
  set -e
  if ((rc == 0)); then
    STATUS[$run]=ok
    mv "${json%.json}.md" "$PARTS/$run.md"
  elif ((rc == 124 || rc == 137)); then
    STATUS[$run]="stopped by the $BUDGET s budget after $((SECONDS - run_start)) s"
  else
    STATUS[$run]="failed (exit $rc after $((SECONDS - run_start)) s; see the log)"
  fi
  say "$run: ${STATUS[$run]}"
  write_report
done
say "done in $((SECONDS - START)) s: $REPORT"
# a run left out for the budget is in the report, not a failure
failed=0
for spec in "${RUNS[@]}"; do
  read -r run _ <<<"$spec"
  [[ ${STATUS[$run]} == ok || ${STATUS[$run]} == "not run:"* ]] || failed=1
done
exit "$failed"
