#!/usr/bin/env bash
# Where an embedding forward of SmolLM2-135M spends its time, op by op: runs `bellm embed --torch-profile` (PyTorch's
# own profiler) on STS-B test sentences and sums the trace's top-level ops by name and by name + input shapes.
# Usage: bench/op-profile.sh [SENTENCES] [BATCH] [ROWS]   (defaults: 64 sentences, batch 8, 30 rows per table;
#        BELLM_THREADS=2). The profiler adds a few microseconds per op: compare ops with each other, not with
#        bench/embed-throughput.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sentences="${1:-64}"
batch="${2:-8}"
rows="${3:-30}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
python="$("$root/bench/python-env.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

"$root/bench/sts-sentences.sh" "$sentences" > "$work/sentences.txt"
"$root/bellm" embed --model "$("$root/scripts/fetch-smollm2.sh")" --input "$work/sentences.txt" --batch-size "$batch" \
  --output /dev/null --stats --torch-profile "$work/trace.json"
"$python" "$root/bench/python/op_profile.py" "$work/trace.json" "$rows"
