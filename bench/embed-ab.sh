#!/usr/bin/env bash
# Embedding throughput of this checkout against an earlier commit, alternating, on the same SmolLM2 sentences: for a
# change that must not make embedding slower. Both builds run `embed --stats` at batch 1, 8 and 32 for ROUNDS rounds;
# prints each build's median sentences/s and the ratio this / REF per batch size, and whether the embeddings of both
# builds are the same bytes.
# Usage: bench/embed-ab.sh REF [SENTENCES] [ROUNDS]   (defaults: 200 unique STS-B test sentences, 3 rounds;
#        BELLM_THREADS=2). REF is built in a temporary worktree.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="${1:?usage: bench/embed-ab.sh REF [SENTENCES] [ROUNDS]}"
limit="${2:-200}"
rounds="${3:-3}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
gguf="$("$root/scripts/fetch-smollm2.sh")"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/ref" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$root/bench/sts-sentences.sh" "$limit" > "$work/sentences.txt"
git -C "$root" worktree add --detach -q "$work/ref" "$ref"
echo "bench: building $ref and this checkout" >&2
"$work/ref/bellm" embed --help > /dev/null
"$root/bellm" embed --help > /dev/null

for round in $(seq "$rounds"); do
  for batch in 1 8 32; do
    for side in ref this; do
      launcher="$root/bellm"; [ "$side" = ref ] && launcher="$work/ref/bellm"
      "$launcher" embed --model "$gguf" --input "$work/sentences.txt" --batch-size "$batch" \
        --output "$work/$side-$batch.jsonl" --stats 2> "$work/$side.log"
      rate=$(grep -o '[0-9.]* sentences/s' "$work/$side.log" | cut -d' ' -f1)
      echo "$side $batch $rate" | tee -a "$work/rates" >&2
    done
  done
done

python3 - "$work" "$ref" <<'PY'
import filecmp, sys
from statistics import median
work, ref = sys.argv[1], sys.argv[2]
rates = {}
for line in open(f"{work}/rates"):
    side, batch, rate = line.split()
    rates.setdefault((side, int(batch)), []).append(float(rate))
print(f"| batch | {ref} (sent/s) | this (sent/s) | this / {ref} | same embeddings |")
print("|---:|---:|---:|---:|---|")
for batch in (1, 8, 32):
    r, t = median(rates[("ref", batch)]), median(rates[("this", batch)])
    same = filecmp.cmp(f"{work}/ref-{batch}.jsonl", f"{work}/this-{batch}.jsonl", shallow=False)
    print(f"| {batch} | {r:.1f} | {t:.1f} | {t / r:.2f} | {'yes' if same else 'no'} |")
PY
