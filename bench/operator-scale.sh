#!/usr/bin/env bash
# Operator at scale: N BeLLMExperiments (default 100) created at once against a real kube-apiserver + etcd and a real
# MLflow server; a job runner completes each Job at once with its results pre-logged in MLflow. Prints the time from
# the first create to all sweep Jobs created and to all experiments Succeeded.
# Usage: bench/operator-scale.sh [N]   (uses BELLM_TEST_KUBECONFIG / MLFLOW_TRACKING_URI when set, else starts both)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100}"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
mvn -B -q -f "$root/pom.xml" -pl operator -am test -Dtest=OperatorScaleBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.experiments="$n" > "$log" 2>&1 || { tail -50 "$log" >&2; exit 1; }
grep "instant job runner" "$log" | head -5 >&2 || true
grep '^|' "$log"
