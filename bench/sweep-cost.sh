#!/usr/bin/env bash
# Cost of the degradation sweep: all layer counts n = 1..L of SmolLM2 from one forward pass per batch, against one
# full forward over the same sentences (target: sweep <= 1.3x full), against the sweep sharded by data into SHARDS
# parts run one after another (target: all shards together <= 1.15x one full forward; their merge must give the
# unsharded curve) and against the naive way, one truncated run per n.
# Times are the embedding work each command reports (model loading and JVM start are excluded).
# Usage: bench/sweep-cost.sh [PAIRS] [SHARDS]   (default: the first 200 pairs of STS-B dev, "all" for the 1500; 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-200}"
shards="${2:-3}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
dev="${BELLM_DATA_DIR:-$root/../shared/data}/stsbenchmark/sts-dev.csv"
[ -f "$dev" ] || { echo "bench: STS-B dev not found at $dev (set BELLM_DATA_DIR)" >&2; exit 1; }
gguf="$("$root/scripts/fetch-smollm2.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
if [ "$pairs" = all ]; then cp "$dev" "$work/dev.csv"; else head -n "$pairs" "$dev" > "$work/dev.csv"; fi
task="dev=stsb:$work/dev.csv"
# the embedding time is on the progress reporter's last line: "... N sentences in X s, R/s"
seconds() { grep -o 'sentences in [0-9.]* s' "$1" | tail -1 | awk '{print $3}'; }

"$root/bellm" evaluate --model "$gguf" --task "$task" --out "$work/full.json" 2> "$work/full.log"
full=$(seconds "$work/full.log")
"$root/bellm" sweep --model "$gguf" --task "$task" --out "$work/sweep.json" 2> "$work/sweep.log"
sweep=$(seconds "$work/sweep.log")
sharded=0
for i in $(seq 1 "$shards"); do
  "$root/bellm" sweep --model "$gguf" --task "$task" --shard "$i/$shards" --out "$work/shard$i.json" 2> "$work/shard$i.log"
  sharded=$(python3 -c "print($sharded + $(seconds "$work/shard$i.log"))")
done
"$root/bellm" sweep-merge --out "$work/merged.json" "$work"/shard*.json 2> "$work/merged.log"
layers=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["range"][1])' "$work/sweep.json")
naive=0
for n in $(seq 1 "$layers"); do
  "$root/bellm" sweep --model "$gguf" --task "$task" --layers "$n-$n" --out "$work/n$n.json" 2> "$work/n$n.log"
  naive=$(python3 -c "print($naive + $(seconds "$work/n$n.log"))")
done
sentences=$(grep -o '[0-9]* sentences in' "$work/full.log" | tail -1 | awk '{print $1}')
python3 - "$full" "$sweep" "$naive" "$sentences" "$(wc -l < "$work/dev.csv")" "$layers" "$sharded" "$shards" \
  "$work/sweep.json" "$work/merged.json" <<'PY'
import json, sys
full, sweep, naive = map(float, sys.argv[1:4])
sentences, pairs, layers = sys.argv[4:7]
sharded, shards = float(sys.argv[7]), sys.argv[8]
curve = lambda f: [p["spearman"] for p in json.load(open(f))["layers"]]
diff = max(abs(a - b) for a, b in zip(curve(sys.argv[9]), curve(sys.argv[10])))
print(f"STS-B dev: {pairs} pairs, {sentences} distinct sentences; SmolLM2-135M, n = 1..{layers}")
print("| run | embedding time (s) | x one full forward |")
print("|---|---:|---:|")
print(f"| one full forward (evaluate) | {full:.1f} | 1.00 |")
print(f"| sweep, all n in one pass | {sweep:.1f} | {sweep / full:.2f} |")
print(f"| sweep in {shards} data shards, all together | {sharded:.1f} | {sharded / full:.2f} |")
print(f"| naive, one truncated run per n | {naive:.1f} | {naive / full:.2f} |")
print(f"one-pass sweep is {naive / sweep:.1f}x faster than the naive way")
print(f"merged shards vs the unsharded curve: max |difference| {diff:.2e} Spearman x100 points")
PY
