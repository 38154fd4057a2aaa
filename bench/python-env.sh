#!/usr/bin/env bash
# The Python side of the benchmarks: HF transformers + PyTorch (CPU) reading the same GGUF file, in a venv kept in
# ~/.cache/bellm (never in the repo, never in CI). PyPI's torch is a CUDA build of several GB; it runs on the CPU.
# Prints the venv's python.
set -euo pipefail
venv="${BELLM_CACHE:-$HOME/.cache/bellm}/bench-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, transformers, gguf, accelerate, psutil' 2>/dev/null; then
  echo "bench: installing torch, transformers and gguf into $venv (several GB, once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet torch==2.15.0 transformers==5.24.0 gguf==0.19.0 accelerate psutil >&2
fi
echo "$venv/bin/python"
