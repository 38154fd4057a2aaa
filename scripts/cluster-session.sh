# Sourced by scripts/test.sh and scripts/e2e-cluster.sh (root): a container runtime and a single-node cluster of
# their own for one session, in fresh state directories.
#   cluster_session_start NAME  starts both (scripts/container-runtime.sh, scripts/kube-cluster.sh) and exports
#                               BELLM_CLUSTER_KUBECONFIG and BELLM_KUBE_HOST_IP (not KUBECONFIG: the other tests
#                               keep their own API server)
#   cluster_session_stop        stops the cluster, and the runtime if the session started it (a daemon that
#                               already ran is left alone), and removes the state directories
cluster_session_start() {
  cluster_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-$1-cluster.XXXXXX")"
  runtime_state="$(mktemp -d "${TMPDIR:-/tmp}/bellm-$1-runtime.XXXXXX")"
  export BELLM_RUNTIME_STATE="$runtime_state" # kube-cluster.sh's runtime, whose log it shows on failure
  scripts/container-runtime.sh start "$runtime_state"
  scripts/kube-cluster.sh start "$cluster_state" >/dev/null
  eval "$(scripts/kube-cluster.sh env "$cluster_state" | sed 's/^KUBECONFIG=/BELLM_CLUSTER_KUBECONFIG=/; s/^/export /')"
}

cluster_session_stop() {
  [ -n "${cluster_state:-}" ] || return 0
  if [ -f "$cluster_state/kubeconfig" ]; then scripts/kube-cluster.sh stop "$cluster_state" || true; fi
  scripts/container-runtime.sh stop "$runtime_state" || true
  rm -rf "$cluster_state" "$runtime_state"
}
