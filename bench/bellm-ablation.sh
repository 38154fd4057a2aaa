#!/usr/bin/env bash
# The BeLLM ablation on one base model, one command: where should backward dependency start, and with which pooling?
#   1. the degradation sweep on STS-B dev (curve, plot and turning point t in docs/results/, shared with bellm-claim.sh)
#   2. one cell per bidirectional-from K in {L (all causal), L-1, L-2, L-4, L-8, L/2, 0} and pooling in {last, mean},
#      each trained on the same budget and scored on STS-B dev (by the trainer), STS-B test and SICK-R
#   3. the best cell by STS-B dev and its pooling's all-causal cell again with a second seed, to show the noise, and
#      the control: all causal with the best cell's LoRA range, both poolings (a low K also trains more layers)
#   4. the table (markdown, printed) and a plot of Spearman against K (docs/results/ablation/MODEL.svg)
# Budget per cell: the first PAIRS (default 1500) pairs of STS-B train, 1 epoch of batch 16, LoRA rank 8 on all seven
# projections of layers min(K, L-8)..L-1, AdamW lr 2e-4 with 20 warm-up steps, max 64 tokens. Layers below the LoRA
# range are frozen and cached once, so the cells with K >= L-8 share one LoRA range and cost the same; a lower K also
# trains the layers it makes bidirectional (LoRA from K), so those cells cost more.
# Under last-token pooling K = L-1 is the all-causal model exactly (the last token of a causal last layer already
# attends to every token), so that cell is not run; under mean pooling it is.
# SICK-R = SICK_train.txt and SICK_trial.txt together (5,000 pairs, never trained on).
# A cell whose result files exist is skipped, so an interrupted run continues where it stopped; the packages live in
# BELLM_BENCH_WORK (default ~/.cache/bellm/ablation/MODEL).
# Usage: bench/bellm-ablation.sh [MODEL] [PAIRS]     MODEL: a name of scripts/models.sh (default smollm2-135m)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-smollm2-135m}"
pairs="${2:-1500}"
export BELLM_THREADS="${BELLM_THREADS:-2}"
data="${BELLM_DATA_DIR:-$root/../shared/data}"
gguf="$("$root/scripts/models.sh" "$model")"
sweep="$root/docs/results/$model-sweep-stsb-dev"
results="$root/docs/results/ablation/$model"
work="${BELLM_BENCH_WORK:-$HOME/.cache/bellm/ablation/$model}"
mkdir -p "$results" "$work"
head -n "$pairs" "$data/stsbenchmark/sts-train.csv" > "$work/sts-train.csv"
{ cat "$data/sick2014/SICK_train.txt"; tail -n +2 "$data/sick2014/SICK_trial.txt"; } > "$work/sick.txt"
dev="stsb-dev=stsb:$data/stsbenchmark/sts-dev.csv"
test="stsb-test=stsb:$data/stsbenchmark/sts-test.csv"
sick="sick-r=sick:$work/sick.txt"
timed() { local start=$SECONDS; "$@"; echo "bench: $(( SECONDS - start )) s for: ${*:1:3}" >&2; }
# runs the command unless FILE (its result) exists already
once() { local file=$1; shift; [ -f "$file" ] || timed "$@"; }

once "$sweep.json" "$root/bellm" sweep --model "$gguf" --task "$dev" --out "$sweep.json" --plot "$sweep.png"
read -r t layers < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["turning_point"], r["range"][1])' \
  "$sweep.json")
echo "bench: $model has $layers layers, turning point $t" >&2

# lora_first K: the lowest layer with LoRA adapters in K's cell
lora_first() { echo $(( $1 < layers - 8 ? $1 : layers - 8 )); }

# One cell: trains with bidirectional-from K (K = L: all causal), LoRA from FIRST (default: lora_first K) up, then
# scores STS-B test and SICK-R.
cell() {
  local k=$1 pooling=$2 seed=$3 first=${4:-$(lora_first "$1")}
  local name="k$k-$pooling-seed$seed"
  [ -z "${4:-}" ] || name+="-lora$first"
  local bidirectional=(); [ "$k" -ge "$layers" ] || bidirectional=(--bidirectional-from "$k")
  # the committed results of a cell stand for it on a machine without its package
  [ ! -f "$results/$name.json" ] || [ ! -f "$results/$name.bellm-model.json" ] || return 0
  once "$work/$name/bellm-model.json" \
    "$root/bellm" train --model "$gguf" --train "sts-train=stsb:$work/sts-train.csv" --dev "$dev" \
    --out "$work/$name" --lora-layers "$first-$(( layers - 1 ))" --epochs 1 --batch-size 16 --lr 2e-4 \
    --warmup-steps 20 --max-tokens 64 --log-every 50 --pooling "$pooling" --seed "$seed" "${bidirectional[@]}"
  cp "$work/$name/bellm-model.json" "$results/$name.bellm-model.json"
  once "$results/$name.json" \
    "$root/bellm" evaluate --model "$work/$name" --task "$test" --task "$sick" --out "$results/$name.json"
}

ks=()
for k in "$layers" $(( layers - 1 )) $(( layers - 2 )) $(( layers - 4 )) $(( layers - 8 )) $(( layers / 2 )) 0; do
  [[ " ${ks[*]} " == *" $k "* ]] || ks+=("$k")
done
# from the top down, both poolings at each K: an interrupted run has compared them as far as it got
for k in "${ks[@]}"; do
  for pooling in last mean; do
    [ "$pooling/$k" = "last/$(( layers - 1 ))" ] || cell "$k" "$pooling" 42
  done
done
read -r best_k best_pooling < <(python3 "$root/bench/python/ablation_report.py" best "$results")
cell "$best_k" "$best_pooling" 7
[ "$best_k" = "$layers" ] || cell "$layers" "$best_pooling" 7
if [ "$(lora_first "$best_k")" != "$(lora_first "$layers")" ]; then
  for pooling in last mean; do cell "$layers" "$pooling" 42 "$(lora_first "$best_k")"; done
fi

python3 "$root/bench/python/ablation_report.py" table "$results" "$model" "$layers" "$t"
