#!/usr/bin/env bash
# Embedding throughput of SmolLM2-135M on STS-B test sentences at batch 1, 8 and 32, and peak RSS, for our DJL path
# and for HF transformers on the same threads, in one command; prints the ratio ours / HF per batch size.
# Usage: bench/embed-throughput.sh [SENTENCES]   (default 400 unique STS-B test sentences; BELLM_THREADS=2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${1:-400}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
gguf="$("$root/scripts/fetch-smollm2.sh")"
python="$("$root/bench/python-env.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

"$root/bench/sts-sentences.sh" "$limit" > "$work/sentences.txt"
echo "bench: $(wc -l < "$work/sentences.txt") sentences, $BELLM_THREADS threads, $(nproc) cores" >&2

"$root/bellm" embed --help > /dev/null # build first, so that the build is not timed
for batch in 1 8 32; do
  /usr/bin/time -f '%M' -o "$work/rss-$batch" "$root/bellm" embed --model "$gguf" --input "$work/sentences.txt" \
    --batch-size "$batch" --output /dev/null --stats 2> "$work/ours-$batch.log"
  rate=$(grep -o '[0-9.]* sentences/s' "$work/ours-$batch.log" | cut -d' ' -f1)
  echo "{\"engine\": \"bellm-djl\", \"batch\": $batch, \"sentences_per_s\": $rate, \"peak_rss_mib\": $(( $(tail -1 "$work/rss-$batch") / 1024 ))}"
done | tee "$work/ours.jsonl"
# a fresh process per batch size, as on our side, so that each peak RSS belongs to one batch size
for batch in 1 8 32; do
  "$python" "$root/bench/python/hf_embed_throughput.py" "$gguf" "$work/sentences.txt" "$batch"
done | tee "$work/hf.jsonl"

"$python" - "$work/ours.jsonl" "$work/hf.jsonl" <<'PY'
import json, sys
ours = {r["batch"]: r for r in map(json.loads, open(sys.argv[1]))}
hf = {r["batch"]: r for r in map(json.loads, open(sys.argv[2]))}
print("| batch | ours (sent/s) | HF transformers (sent/s) | ratio | ours peak RSS (MiB) | HF peak RSS (MiB) |")
print("|---:|---:|---:|---:|---:|---:|")
for b in sorted(ours):
    o, h = ours[b], hf[b]
    print(f"| {b} | {o['sentences_per_s']:.1f} | {h['sentences_per_s']:.1f} | "
          f"{o['sentences_per_s'] / h['sentences_per_s']:.2f} | {o['peak_rss_mib']} | {h['peak_rss_mib']} |")
PY
