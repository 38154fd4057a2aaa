#!/usr/bin/env bash
# The embed service's REST batching, SmolLM2-135M on STS-B test sentences, in one command: CLIENTS callers send
# one-sentence requests through the service's request batcher, gathering the requests that wait together into one
# forward pass (the service's default) versus one request per pass (the baseline); sentences/s, request latency p50
# and p95, and the median over ROUNDS alternating rounds of their throughput ratio.
# Usage: bench/rest-batching.sh [SENTENCES] [CLIENTS] [ROUNDS]   (defaults 400, 16 and 5; 2 PyTorch threads)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${1:-400}"
clients="${2:-16}"
rounds="${3:-5}"
gguf="$("$root/scripts/fetch-smollm2.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$root/bench/sts-sentences.sh" "$limit" > "$work/sentences.txt"
echo "bench: $(wc -l < "$work/sentences.txt") sentences, $clients clients, $rounds rounds, $(nproc) cores" >&2

mvn -B -q -f "$root/pom.xml" -pl embed-service -am test -Dtest=RestBatchingBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model="$gguf" -Dbench.sentences="$work/sentences.txt" \
  -Dbench.clients="$clients" -Dbench.rounds="$rounds" > "$work/log" 2>&1 || { tail -50 "$work/log" >&2; exit 1; }
grep -E '^(\||round )' "$work/log"
