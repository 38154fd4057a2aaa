#!/usr/bin/env bash
# Embedding throughput of SmolLM2-135M on STS-B test sentences at batch 1, 8 and 32, and peak RSS: ours at each
# precision (f32, bf16) and HF transformers at float32 and bfloat16, on the same threads, in one command; prints each
# engine's rate and its ratio to HF float32 and to the fastest peer.
# The engines alternate for ROUNDS rounds and each rate is the median of its rounds: on a shared machine the speed
# drifts by tens of percent within minutes, so single back-to-back runs measured the drift as much as the engines.
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
# a fresh process per engine and batch size, so that each peak RSS belongs to one batch size
for round in $(seq "$rounds"); do
  for precision in f32 bf16; do
    for batch in 1 8 32; do
      /usr/bin/time -f '%M' -o "$work/rss" "$root/bellm" embed --model "$gguf" --input "$work/sentences.txt" \
        --precision "$precision" --batch-size "$batch" --output /dev/null --stats 2> "$work/ours.log"
      rate=$(grep -o '[0-9.]* sentences/s' "$work/ours.log" | cut -d' ' -f1)
      echo "{\"engine\": \"bellm-$precision\", \"round\": $round, \"batch\": $batch, \"sentences_per_s\": $rate," \
        "\"peak_rss_mib\": $(( $(tail -1 "$work/rss") / 1024 ))}"
    done
  done | tee -a "$work/runs.jsonl"
  for dtype in float32 bfloat16; do
    for batch in 1 8 32; do
      "$python" "$root/bench/python/hf_embed_throughput.py" "$gguf" "$work/sentences.txt" "$dtype" "$batch" \
        2> "$work/hf.log" || { cat "$work/hf.log" >&2; exit 1; }
    done
  done | tee -a "$work/runs.jsonl"
done

"$python" - "$work/runs.jsonl" <<'PY'
import json, sys
from statistics import median

runs = {}
for r in map(json.loads, open(sys.argv[1])):
    runs.setdefault((r["engine"], r["batch"]), []).append(r)
engines = list(dict.fromkeys(engine for engine, _ in runs))
peers = [e for e in engines if not e.startswith("bellm-")]
rate = lambda e, b: median(r["sentences_per_s"] for r in runs[(e, b)])
rss = lambda e, b: max(r["peak_rss_mib"] for r in runs[(e, b)])
print("| batch | engine | sentences/s | / HF float32 | / fastest peer | peak RSS (MiB) |")
print("|---:|---|---:|---:|---:|---:|")
for b in sorted({b for _, b in runs}):
    fastest = max(rate(p, b) for p in peers)
    for e in engines:
        print(f"| {b} | {e} | {rate(e, b):.1f} | {rate(e, b) / rate('hf-transformers-float32', b):.2f} | "
              f"{rate(e, b) / fastest:.2f} | {rss(e, b)} |")
PY
