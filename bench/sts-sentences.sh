#!/usr/bin/env bash
# Prints the first N unique sentences of the STS-B test set (both columns, file order): the benchmarks' input.
# Usage: bench/sts-sentences.sh N   (the data set from BELLM_DATA_DIR, default ../shared/data beside the repo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${BELLM_DATA_DIR:-$root/../shared/data}/stsbenchmark/sts-test.csv"
[ -f "$data" ] || { echo "bench: STS-B test set not found at $data (set BELLM_DATA_DIR)" >&2; exit 1; }
# (awk stops counting itself: a head closing the pipe early would fail the pipeline under pipefail)
awk -F'\t' '{print $6; print $7}' "$data" | awk -v limit="$1" 'NF && !seen[$0]++ && ++n <= limit'
