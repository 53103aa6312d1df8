#!/usr/bin/env bash
# Install stgcn_reg and its test tools. Uses the active virtualenv/conda env
# when there is one, else creates ./.venv. Installs the CPU build
# torch==2.13.0 only when no torch is importable, so a CUDA build is kept.
# Prints the python to use on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${VIRTUAL_ENV:-}${CONDA_PREFIX:-}" ]]; then
  PY=$(command -v python)
else
  if [[ ! -x .venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv .venv >&2
  fi
  PY=$PWD/.venv/bin/python
fi
"$PY" -m pip install --quiet --upgrade pip >&2
if ! "$PY" -c 'import torch' 2>/dev/null; then
  "$PY" -m pip install --quiet torch==2.13.0 >&2
fi
# onnx: ONNX export and ONNX Runtime inference (their tests skip without)
"$PY" -m pip install --quiet -e '.[tests,pose,onnx]' >&2
# MMAction2 1.2.0, only to test the checkpoint conversion against the real
# package: its light dependencies, then the wheel without its heavy ones
# (decord, opencv-contrib). If it cannot be installed, those tests skip.
if ! "$PY" -c 'import mmaction' 2>/dev/null; then
  if ! { "$PY" -m pip install --quiet mmcv-lite==2.1.0 einops scipy \
           importlib_metadata >&2 &&
         "$PY" -m pip install --quiet --no-deps mmaction2==1.2.0 >&2; }; then
    echo 'warning: could not install mmaction2==1.2.0; the MMAction2' \
      'conversion tests will be skipped' >&2
  fi
fi
# MediaPipe 0.10.14 for pose estimation from video, without the packages
# it declares but its pose solution does not use (see setup.cfg). If it
# cannot be installed, the video tools say what to install and their tests
# skip.
if ! "$PY" -c 'import mediapipe' 2>/dev/null; then
  if ! "$PY" -m pip install --quiet --no-deps mediapipe==0.10.14 >&2; then
    echo 'warning: could not install mediapipe==0.10.14; pose extraction' \
      'and the video tests will be skipped' >&2
  fi
fi
echo "$PY"
