#!/usr/bin/env bash
# A real Kubernetes API server (kube-apiserver v1.20.2 + etcd) for the operator's tests. No kubelet, scheduler or
# controller-manager: nothing runs pods, and a deleted namespace stays Terminating (tests use fresh namespaces).
#   scripts/kube-apiserver.sh build               builds kube-apiserver once from Debian's `kubernetes` source package
#   scripts/kube-apiserver.sh start [STATE_DIR]   builds if needed, starts etcd + kube-apiserver, prints the kubeconfig path
#   scripts/kube-apiserver.sh stop  [STATE_DIR]   stops both (by the pids recorded in STATE_DIR)
#   scripts/kube-apiserver.sh env   [STATE_DIR]   prints KUBECONFIG=<path> of the server running for STATE_DIR
# BELLM_KUBE_AUTHORIZATION=RBAC starts it with RBAC instead of AlwaysAllow (the token's user is then system:masters).
# The build needs root for apt (deb-src entries copied from the machine's own apt sources, golang-go, etcd-server, ...),
# Debian's Go 1.19 (a newer Go on PATH would build a binary that segfaults on custom resources), and ~8 min on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kube-source.sh
. "$here/kube-source.sh"    # k8s_version, cache, enable_deb_src, kube_prepare_source, kube_make (shared with kube-cluster.sh)
home="$cache/kube-apiserver-v$k8s_version"
binary="$home/bin/kube-apiserver"
start_timeout="${BELLM_KUBE_START_TIMEOUT:-60}"
cmd="${1:-start}"
state="${2:-${BELLM_KUBE_STATE:-${TMPDIR:-/tmp}/bellm-kube-apiserver}}"
[ "$cmd" = build ] || { mkdir -p "$state"; state="$(cd "$state" && pwd)"; }
log() { echo "kube-apiserver: $*" >&2; }

build() {
  [ -x "$binary" ] && return
  [ "$(id -u)" = 0 ] && enable_deb_src
  kube_install_packages etcd-server
  local work="$home/build" tree
  tree=$(kube_prepare_source "$work")
  local started=$SECONDS
  log "building cmd/kube-apiserver (takes ~8 min on 2 cores)"
  kube_make "$work" "$tree" cmd/kube-apiserver
  local built; built=$(find "$tree/_output" -type f -name kube-apiserver -perm -u+x | head -1)
  [ -n "$built" ] || { log "build produced no kube-apiserver binary"; exit 1; }
  mkdir -p "$home/bin" && cp "$built" "$binary.tmp" && mv "$binary.tmp" "$binary"
  log "built $binary in $((SECONDS - started)) s"
  rm -rf "$work"
}

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }
# A pid file can outlive its process and the pid be reused: only a process serving this state dir counts.
alive() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$state/"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kubeconfig="$state/kubeconfig"

wait_for() {
  local what=$1 url=$2 deadline=$((SECONDS + start_timeout)); shift 2
  while [ $SECONDS -lt $deadline ]; do
    # kill -0, not alive: until the background shell execs the server, its command line is this script's, which
    # alive() would read as "exited" (it did, once, with an empty log); a pid this fresh cannot have been reused
    kill -0 "$(pid_of "$what")" 2>/dev/null \
      || { tail -30 "$state/$what.log" >&2; log "$what exited, log above"; stop; exit 1; }
    if curl -fsS --max-time 2 "$@" "$url" >/dev/null 2>&1; then return; fi
    sleep 0.3
  done
  log "$what not ready at $url after $start_timeout s; log: $state/$what.log"; stop; exit 1
}

start() {
  if alive etcd && alive apiserver; then echo "$kubeconfig"; return; fi
  stop
  build
  mkdir -p "$state"
  local etcd_port peer_port api_port token
  etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)
  [ -f "$state/token" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$state/token"
  token=$(cat "$state/token")
  echo "$token,bellm-admin,bellm-admin,system:masters" > "$state/tokens.csv"
  [ -f "$state/sa.key" ] || openssl genrsa -out "$state/sa.key" 2048 2>/dev/null
  setsid etcd --name bellm --data-dir "$state/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "bellm=http://127.0.0.1:$peer_port" < /dev/null > "$state/etcd.log" 2>&1 &
  echo $! > "$state/etcd.pid"
  wait_for etcd "http://127.0.0.1:$etcd_port/health"
  setsid "$binary" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --insecure-port 0 \
    --cert-dir "$state/certs" --token-auth-file "$state/tokens.csv" \
    --authorization-mode "${BELLM_KUBE_AUTHORIZATION:-AlwaysAllow}" \
    --service-account-key-file "$state/sa.key" --service-account-signing-key-file "$state/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.0.0.0/24 --endpoint-reconciler-type none --allow-privileged \
    < /dev/null > "$state/apiserver.log" 2>&1 &
  echo $! > "$state/apiserver.pid"
  wait_for apiserver "https://127.0.0.1:$api_port/readyz" -k -H "Authorization: Bearer $token"
  cat > "$kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bellm
  cluster:
    server: https://127.0.0.1:$api_port
    insecure-skip-tls-verify: true
users:
- name: bellm-admin
  user:
    token: $token
contexts:
- name: bellm
  context:
    cluster: bellm
    user: bellm-admin
    namespace: default
current-context: bellm
EOF
  mv "$kubeconfig.tmp" "$kubeconfig"
  echo "$kubeconfig"
}

stop_one() {
  local pid; pid=$(pid_of "$1")
  if alive "$1"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/$1.pid"
}

stop() { stop_one apiserver; stop_one etcd; rm -f "$kubeconfig"; }

case "$cmd" in
  build) build; echo "$binary" ;;
  start) start ;;
  stop) stop ;;
  env) { alive etcd && alive apiserver; } || { log "not running for $state"; exit 1; }; echo "KUBECONFIG=$kubeconfig" ;;
  *) echo "usage: $0 build|start|stop|env [STATE_DIR]" >&2; exit 2 ;;
esac
