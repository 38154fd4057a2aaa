#!/usr/bin/env bash
# Training speed on SmolLM2-135M, one command: time per optimizer step of `bellm train` with full backpropagation
# (every step runs all layers), of `bellm train` with the frozen-layer cache (steps run only the trained layers),
# and of the same model, batch and objective in PyTorch + HF transformers on the same threads.
# LoRA rank 8 on all projections of layers FIRST..29, no dropout, batch 16 pairs, STS-B train.
# Usage: bench/train-speed.sh [FIRST_LAYER] [STEPS]   (defaults 24 and 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
first="${1:-24}"
steps="${2:-20}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
train="${BELLM_DATA_DIR:-$root/../shared/data}/stsbenchmark/sts-train.csv"
[ -f "$train" ] || { echo "bench: STS-B train not found at $train (set BELLM_DATA_DIR)" >&2; exit 1; }
gguf="$("$root/scripts/fetch-smollm2.sh")"
python="$("$root/bench/python-env.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
head -n 800 "$train" > "$work/train.tsv"

ours() { # $1 = label, $2 = --frozen-layer-cache | --no-frozen-layer-cache
  "$root/bellm" train --model "$gguf" --train "sts=stsb:$work/train.tsv" --out "$work/$1" --lora-layers "$first-29" \
    --lora-dropout 0 --batch-size 16 --max-steps "$steps" --log-every 1000 "$2" 2> "$work/$1.log" \
    || { cat "$work/$1.log" >&2; exit 1; }
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["training"]; print(t["mean_step_seconds"])' \
    "$work/$1/bellm-model.json"
}
full=$(ours full --no-frozen-layer-cache)
cached=$(ours cached --frozen-layer-cache)
torch=$("$python" "$root/bench/python/torch_train_step.py" "$gguf" "$work/train.tsv" "$first" 16 "$steps" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["mean_step_seconds"])')
python3 - "$full" "$cached" "$torch" "$first" "$steps" <<'PY'
import sys
full, cached, torch = map(float, sys.argv[1:4])
print(f"SmolLM2-135M, LoRA r8 on layers {sys.argv[4]}-29, batch 16 pairs (32 sentences), {sys.argv[5]} steps each")
print("| run | s / step | vs PyTorch |")
print("|---|---:|---:|")
print(f"| PyTorch + transformers | {torch:.3f} | 1.00 |")
print(f"| bellm train, full backprop (--no-frozen-layer-cache) | {full:.3f} | {torch / full:.2f}x |")
print(f"| bellm train, frozen-layer cache | {cached:.3f} | {torch / cached:.2f}x |")
print(f"frozen-layer cache speed-up over full backprop: {full / cached:.2f}x")
PY
