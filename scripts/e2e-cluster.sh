#!/usr/bin/env bash
# From nothing to the Kafka round trip on a real cluster and back to nothing, in one command (root):
#   scripts/e2e-cluster.sh [MAVEN_ARGS...]
# 1. the container runtime (scripts/container-runtime.sh) and a single-node cluster (scripts/kube-cluster.sh), both
#    in state directories of their own, built on first use;
# 2. the Maven packaging the images are built from (mvn -B -ntp -q install -DskipTests);
# 3. ClusterEndToEndTest: scripts/build-images.sh, a real MLflow server and KRaft broker on the address pods reach
#    this machine by, helm install of charts/bellm, kubectl apply of crds/examples/tiny.yaml, assertions on the Jobs,
#    pods, status, Events and MLflow registry, then embed-service's Kafka round trip stamped with the new version;
#    and the two stuck experiments (missing image, unschedulable) failing with the pod's reason;
# 4. teardown: the cluster (and the runtime, if this script started it) stopped, their state removed
#    (scripts/cluster-session.sh, shared with scripts/test.sh).
# Ends with one summary line; exit 0 only when every check held.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || { echo "e2e-cluster: needs root (container runtime, kubelet)" >&2; exit 1; }
started=$SECONDS
# shellcheck source=scripts/cluster-session.sh
. scripts/cluster-session.sh
result=FAILED
finish() {
  cluster_session_stop
  echo "e2e-cluster: $result in $((SECONDS - started)) s (cluster, images, chart, tiny experiment, Kafka round trip)"
}
trap finish EXIT

cluster_session_start e2e
mvn -B -ntp -q install -DskipTests "$@"
mvn -B -ntp test -pl charts -Dtest=ClusterEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false "$@"
# a skipped test would pass Maven too
grep -Eq 'tests="[1-9][0-9]*" errors="0" skipped="0" failures="0"' \
  charts/target/surefire-reports/TEST-ai.bellm.chart.ClusterEndToEndTest.xml \
  || { echo "e2e-cluster: ClusterEndToEndTest did not run and pass" >&2; exit 1; }
result=PASSED
