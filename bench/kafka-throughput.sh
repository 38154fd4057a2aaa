#!/usr/bin/env bash
# embed-service through Kafka versus direct in-process embedding, SmolLM2-135M on STS-B test sentences, in one
# command: records/s of the direct path (baseline), records/s of the service's pipeline draining a backlog through
# a real KRaft broker, their ratio, the same for the exactly-once pipeline (transactions, a read_committed reader)
# and its ratio to at least once, and p50/p99 end-to-end latency of both with records sent at half the Kafka rate.
# Direct, Kafka and Kafka exactly once alternate for ROUNDS rounds, and each ratio is the median of the rounds'
# ratios (the machine's speed drifts by tens of percent within minutes).
# Usage: bench/kafka-throughput.sh [SENTENCES] [LATENCY_RECORDS] [ROUNDS]   (defaults 1000, 300 and 5; 2 PyTorch threads)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${1:-1000}"
latency_records="${2:-300}"
rounds="${3:-5}"
gguf="$("$root/scripts/fetch-smollm2.sh")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$root/bench/sts-sentences.sh" "$limit" > "$work/sentences.txt"
echo "bench: $(wc -l < "$work/sentences.txt") sentences, $latency_records paced records, $rounds rounds, $(nproc) cores" >&2

mvn -B -q -f "$root/pom.xml" -pl embed-service -am test -Dtest=KafkaPipelineBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model="$gguf" -Dbench.sentences="$work/sentences.txt" \
  -Dbench.latency-records="$latency_records" -Dbench.rounds="$rounds" > "$work/log" 2>&1 || { tail -50 "$work/log" >&2; exit 1; }
grep -E '^(\||round )' "$work/log"
