#!/usr/bin/env bash
# From nothing to the Kafka round trip on a real cluster and back to nothing, in one command (root):
#   scripts/e2e-cluster.sh [MAVEN_ARGS...]
# 1. the container runtime (scripts/container-runtime.sh) and a single-node cluster (scripts/kube-cluster.sh), both
#    in state directories of their own, built on first use;
# 2. the Maven packaging the images are built from (mvn -B -ntp -q install -DskipTests);
# 3. ClusterEndToEndTest: scripts/build-images.sh, a real MLflow server and KRaft broker on the address pods reach
#    this machine by, helm install of charts/bellm, kubectl apply of crds/examples/tiny.yaml, assertions on the Jobs,
#    pods, status, Events and MLflow registry, then embed-service's Kafka round trip stamped with the new version;
# 4. teardown: the cluster (and the runtime, if this script started it) stopped, their state removed.
# Ends with one summary line; exit 0 only when every check held.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || { echo "e2e-cluster: needs root (container runtime, kubelet)" >&2; exit 1; }
started=$SECONDS
cluster_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-e2e-cluster.XXXXXX")"
runtime_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-e2e-runtime.XXXXXX")"
result=FAILED
finish() {
  if [ -f "$cluster_state/kubeconfig" ]; then scripts/kube-cluster.sh stop "$cluster_state" || true; fi
  scripts/container-runtime.sh stop "$runtime_state" || true
  rm -rf "$cluster_state" "$runtime_state"
  echo "e2e-cluster: $result in $((SECONDS - started)) s (cluster, images, chart, tiny experiment, Kafka round trip)"
}
trap finish EXIT

scripts/container-runtime.sh start "$runtime_state"
scripts/kube-cluster.sh start "$cluster_state" >/dev/null
eval "$(scripts/kube-cluster.sh env "$cluster_state" | sed 's/^KUBECONFIG=/BELLM_CLUSTER_KUBECONFIG=/; s/^/export /')"
mvn -B -ntp -q install -DskipTests "$@"
mvn -B -ntp test -pl charts -Dtest=ClusterEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false "$@"
# a skipped test would pass Maven too
grep -q 'tests="1" errors="0" skipped="0" failures="0"' \
  charts/target/surefire-reports/TEST-ai.bellm.chart.ClusterEndToEndTest.xml \
  || { echo "e2e-cluster: ClusterEndToEndTest did not run and pass" >&2; exit 1; }
result=PASSED
