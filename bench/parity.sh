#!/usr/bin/env bash
# Parity of our hidden states with HF transformers on the same GGUF file (SmolLM2-135M-Instruct Q4_1 by default, or
# any model of scripts/models.sh, e.g. qwen2.5-coder-0.5b). Both sides read the same token ids (ours, from
# `bellm embed --with-ids`), so only the model is compared.
# Usage: bench/parity.sh [MODEL]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gguf="$("$root/scripts/models.sh" "${1:-smollm2-135m}")"
python="$("$root/bench/python-env.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
texts=(
  "The capital of France is"
  "A man is playing a guitar on the street."
  "Two dogs run through a snowy field, chasing a red ball!"
  "In 2024, 37 researchers published 5 papers about embeddings."
  "Café au lait costs 3,50 € — naïve pricing?"
)
for pooling in last mean; do
  "$root/bellm" embed --model "$gguf" --prompt '{text}' --pooling "$pooling" --with-ids \
    --output "$work/$pooling.jsonl" "${texts[@]}"
done
"$python" "$root/bench/python/hf_hidden.py" "$gguf" "$work/last.jsonl" "$work/mean.jsonl"
