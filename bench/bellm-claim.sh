#!/usr/bin/env bash
# The BeLLM experiment on one base model (SmolLM2-135M by default), end to end on this machine's CPU, one command:
#   1. degradation sweep on STS-B dev -> turning point t (curve and plot in docs/results/)
#   2. baseline: the untrained model, all causal, on STS-B dev / test and SICK-R
#   3. the same training budget twice, all causal vs bidirectional from K
#   4. both trained packages on STS-B test and SICK-R (dev is scored by the trainer)
#   5. the untrained model bidirectional from K
# K comes from the trainer (--turning-point t), which applies the platform's one rule K = min(t, L-2): with
# last-token pooling a bidirectional LAST layer alone changes nothing, so at least the two top layers become
# bidirectional for the backward dependency to act.
# Budget: LoRA rank 8 on all projections of layers FIRST..L-1 (default 22), EPOCHS (default 1) over the first PAIRS
# (default 1500) pairs of STS-B train, batch 16, lr 2e-4, max 64 tokens, frozen-layer cache below FIRST.
# SICK-R = SICK_train.txt (4,500 pairs; the test split is not in the shared data).
# A step whose result file exists is skipped, so an interrupted run continues where it stopped.
# MODEL: a name of scripts/models.sh (default smollm2-135m); its results are docs/results/MODEL-*.
# Usage: bench/bellm-claim.sh [FIRST_LAYER] [EPOCHS] [PAIRS] [MODEL]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
first="${1:-22}"
epochs="${2:-1}"
pairs="${3:-1500}"
model="${4:-smollm2-135m}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
data="${BELLM_DATA_DIR:-$root/../shared/data}"
gguf="$("$root/scripts/models.sh" "$model")"
results="$root/docs/results"; mkdir -p "$results"
work="${BELLM_BENCH_WORK:-$(mktemp -d)}"
dev="stsb-dev=stsb:$data/stsbenchmark/sts-dev.csv"
test="stsb-test=stsb:$data/stsbenchmark/sts-test.csv"
sick="sick-r=sick:$data/sick2014/SICK_train.txt"
timed() { local start=$SECONDS; "$@"; echo "bench: $(( SECONDS - start )) s for: ${*:1:3}" >&2; }
# runs the command unless FILE (its result) exists already
once() { local file=$1; shift; [ -f "$file" ] || timed "$@"; }
mkdir -p "$work"
head -n "$pairs" "$data/stsbenchmark/sts-train.csv" > "$work/sts-train.csv"

once "$results/$model-sweep-stsb-dev.json" \
  "$root/bellm" sweep --model "$gguf" --task "$dev" --out "$results/$model-sweep-stsb-dev.json" \
  --plot "$results/$model-sweep-stsb-dev.png"
read -r t layers < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["turning_point"], r["range"][1])' \
  "$results/$model-sweep-stsb-dev.json")

once "$results/$model-untrained-causal.json" \
  "$root/bellm" evaluate --model "$gguf" --task "$dev" --task "$test" --task "$sick" \
  --out "$results/$model-untrained-causal.json"

train() {
  local dir=$1; shift
  once "$dir/bellm-model.json" \
    "$root/bellm" train --model "$gguf" --train "sts-train=stsb:$work/sts-train.csv" --dev "$dev" \
    --out "$dir" --lora-layers "$first-$(( layers - 1 ))" --epochs "$epochs" --batch-size 16 --lr 2e-4 \
    --warmup-steps 20 --max-tokens 64 --log-every 50 "$@"
}
train "$work/causal"
train "$work/bellm" --turning-point "$t"
k=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["embedding"]["bidirectional_from"])' \
  "$work/bellm/bellm-model.json")
echo "bench: turning point $t of $layers layers -> bidirectional from $k" >&2

for variant in causal "bidirectional-$k"; do
  dir="$work/causal"; [ "$variant" = causal ] || dir="$work/bellm"
  cp "$dir/bellm-model.json" "$results/$model-trained-$variant.bellm-model.json"
  # STS-B dev of a trained model is in its package: the trainer scores it at the end
  once "$results/$model-trained-$variant.json" \
    "$root/bellm" evaluate --model "$dir" --task "$test" --task "$sick" \
    --out "$results/$model-trained-$variant.json"
done
once "$results/$model-untrained-bidirectional-$k.json" \
  "$root/bellm" evaluate --model "$gguf" --task "$dev" --task "$test" --task "$sick" --bidirectional-from "$k" \
  --out "$results/$model-untrained-bidirectional-$k.json"

python3 - "$results" "$k" "$model" "$model" <<'PY'
import json, sys
results, k, prefix, model = sys.argv[1:5]
def score(name, task):
    s = json.load(open(f"{results}/{prefix}-{name}.json"))["tasks"].get(task, {}).get("spearman")
    if s is None and name.startswith("trained-") and task == "stsb-dev":
        s = json.load(open(f"{results}/{prefix}-{name}.bellm-model.json"))["training"]["dev_spearman"].get(task)
    return "—" if s is None else f"{s:.2f}"
print(f"| {model} | STS-B dev | STS-B test | SICK-R |")
print("|---|---:|---:|---:|")
for label, name in [("untrained, all causal", "untrained-causal"),
                    (f"untrained, bidirectional from {k}", f"untrained-bidirectional-{k}"),
                    ("trained, all causal", "trained-causal"),
                    (f"trained, bidirectional from {k} (BeLLM)", f"trained-bidirectional-{k}")]:
    print(f"| {label} | {score(name, 'stsb-dev')} | {score(name, 'stsb-test')} | {score(name, 'sick-r')} |")
PY
