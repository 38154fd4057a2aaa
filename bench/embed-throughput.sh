#!/usr/bin/env bash
# Embedding throughput of SmolLM2-135M on STS-B test sentences at batch 1, 8 and 32, and peak RSS, for our DJL path
# and for HF transformers on the same threads, in one command; prints the ratio ours / HF per batch size.
# The two alternate for ROUNDS rounds and each rate is the median of its rounds: on a shared machine the speed drifts
# by tens of percent within minutes, so single back-to-back runs measured the drift as much as the engines.
# Usage: bench/embed-throughput.sh [SENTENCES] [ROUNDS]   (defaults: 400 unique STS-B test sentences, 3 rounds;
#        BELLM_THREADS=2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${1:-400}"
rounds="${2:-3}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
gguf="$("$root/scripts/fetch-smollm2.sh")"
python="$("$root/bench/python-env.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

"$root/bench/sts-sentences.sh" "$limit" > "$work/sentences.txt"
echo "bench: $(wc -l < "$work/sentences.txt") sentences, $BELLM_THREADS threads, $(nproc) cores, $rounds rounds" >&2

"$root/bellm" embed --help > /dev/null # build first, so that the build is not timed
for round in $(seq "$rounds"); do
  for batch in 1 8 32; do
    /usr/bin/time -f '%M' -o "$work/rss" "$root/bellm" embed --model "$gguf" --input "$work/sentences.txt" \
      --batch-size "$batch" --output /dev/null --stats 2> "$work/ours.log"
    rate=$(grep -o '[0-9.]* sentences/s' "$work/ours.log" | cut -d' ' -f1)
    echo "{\"engine\": \"bellm-djl\", \"round\": $round, \"batch\": $batch, \"sentences_per_s\": $rate," \
      "\"peak_rss_mib\": $(( $(tail -1 "$work/rss") / 1024 ))}"
  done | tee -a "$work/ours.jsonl"
  # a fresh process per batch size, as on our side, so that each peak RSS belongs to one batch size
  for batch in 1 8 32; do
    "$python" "$root/bench/python/hf_embed_throughput.py" "$gguf" "$work/sentences.txt" "$batch" 2> "$work/hf.log" \
      || { cat "$work/hf.log" >&2; exit 1; }
  done | tee -a "$work/hf.jsonl"
done

"$python" - "$work/ours.jsonl" "$work/hf.jsonl" <<'PY'
import json, sys
from statistics import median

def by_batch(path):
    runs = {}
    for r in map(json.loads, open(path)):
        runs.setdefault(r["batch"], []).append(r)
    return runs

ours, hf = by_batch(sys.argv[1]), by_batch(sys.argv[2])
rate = lambda runs: median(r["sentences_per_s"] for r in runs)
rss = lambda runs: max(r["peak_rss_mib"] for r in runs)
print("| batch | ours (sent/s) | HF transformers (sent/s) | ratio | ours peak RSS (MiB) | HF peak RSS (MiB) |")
print("|---:|---:|---:|---:|---:|---:|")
for b in sorted(ours):
    print(f"| {b} | {rate(ours[b]):.1f} | {rate(hf[b]):.1f} | {rate(ours[b]) / rate(hf[b]):.2f} | {rss(ours[b])} | "
          f"{rss(hf[b])} |")
PY
