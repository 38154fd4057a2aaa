#!/usr/bin/env bash
# A single-node Kubernetes v1.20.2 cluster that runs pods: etcd, kube-apiserver (the binary scripts/kube-apiserver.sh
# builds and caches), kube-controller-manager, kube-scheduler and a kubelet whose dockershim drives the local dockerd
# (scripts/container-runtime.sh, started if needed). The recipe behind it: /work/shared/K8S-RECIPE.md.
#   scripts/kube-cluster.sh build              builds kubelet, kube-controller-manager, kube-scheduler and the pause
#                                              binary once from Debian's kubernetes source package (+ kube-apiserver
#                                              through scripts/kube-apiserver.sh build), prints the bin directory
#   scripts/kube-cluster.sh start [STATE_DIR]  builds if needed, starts everything, returns once the node is Ready and
#                                              prints the admin kubeconfig path (logs: stderr and STATE_DIR/logs)
#   scripts/kube-cluster.sh stop  [STATE_DIR]  stops everything and removes what the kubelet leaves behind (pod
#                                              containers, mounts, /var/lib/kubelet, /var/log/pods, kubepods cgroups...)
#                                              and the cluster's objects (etcd data): the next start is a fresh cluster
#   scripts/kube-cluster.sh env   [STATE_DIR]  prints KUBECONFIG=<path> and BELLM_KUBE_HOST_IP=<address> of the running
#                                              cluster (usable as `export $(scripts/kube-cluster.sh env)`)
# STATE_DIR defaults to ${TMPDIR:-/tmp}/bellm-kube-cluster (or BELLM_CLUSTER_STATE); one cluster per machine (the
# kubelet uses fixed paths under /var). Needs root. Waits are bounded: BELLM_KUBE_START_TIMEOUT (default 60 s) per
# component, BELLM_KUBE_NODE_TIMEOUT (default 120 s) for the node to be Ready.
#
# Design (single node, no registry, no cloud, nothing leaves the machine):
# - Pod network: docker's default bridge (the kubelet's default "no network plugin"): pods get 172.17.0.x addresses
#   and reach the host at the bridge's gateway address, BELLM_KUBE_HOST_IP (read from dockerd, normally 172.17.0.1).
#   Chosen over the CNI bridge because docker0 and its address exist as soon as dockerd runs (cni0's only after the
#   first pod), so host services can bind it before any pod starts.
# - The API server listens on BELLM_KUBE_HOST_IP (not on loopback), so the host's clients and the pods use the same
#   address and certificate, and pods need no hostNetwork. There is no kube-proxy: one NAT rule (chain BELLM-KUBE in
#   iptables' nat table) sends the `kubernetes` Service's ClusterIP (10.0.0.1:443) to the API server, so in-cluster
#   clients (the operator, with KUBERNETES_SERVICE_HOST/PORT and the mounted token) work unchanged. Other ClusterIP
#   Services are not routed: reach pods by pod IP, or `kubectl port-forward` (socat, through the kubelet).
# - Host services for pods (MLflow, Kafka, ...) listen on BELLM_KUBE_HOST_IP and are given to pods by that address
#   (e.g. --set mlflow.trackingUri=http://$BELLM_KUBE_HOST_IP:5000); a Kafka broker must advertise that address.
# - DNS: no CoreDNS (no image to pull). The kubelet's resolv.conf is "nameserver 127.0.0.1" (keeps the kubelet and
#   the pods off the machine's DNS); without --cluster-dns pods get that same file, so no name resolves in a pod
#   except its own /etc/hosts (hostAliases, if a pod needs a name). Use addresses.
# - Authorization is RBAC (the chart's Roles are enforced). The admin token (group system:masters) in the kubeconfig is
#   also what the controller-manager, scheduler and kubelet use. The kubelet's API (port 10250 on the bridge, which
#   pods can reach) takes only the API server's client certificate or tokens that RBAC allows (webhook), never anonymous.
# - Locally built images only: the pause image is built from the tree's build/pause/linux/pause.c and imported as
#   k8s.gcr.io/pause:3.2; pods use imagePullPolicy Never/IfNotPresent; the kubelet's image GC is off (100 %), since no
#   removed image could be pulled again. The kubelet runs with AWS_EC2_METADATA_DISABLED=true from its first start.
# - The kubelet checks its node's status every 2 s instead of 10 s (it posts only changes), so the node turns Ready
#   ~2 s after registering instead of ~10 s (its first status is NotReady: the pod lifecycle events are not in yet).
# - The kubelet carries scripts/patches/kubelet-oom-score-adj.patch (root here lacks CAP_SYS_RESOURCE); the built
#   binaries are cached in $BELLM_CACHE/kube-cluster-v1.20.2-<hash of the patch and build recipe>/bin.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kube-source.sh
. "$here/kube-source.sh"    # k8s_version, cache, kube_prepare_source, kube_make (shared with kube-apiserver.sh)
patch_file="$here/patches/kubelet-oom-score-adj.patch"
node_binaries=(kubelet kube-controller-manager kube-scheduler)
# anything that changes the built binaries belongs in the cache key
build_recipe="make WHAT=cmd/kubelet cmd/kube-controller-manager cmd/kube-scheduler CGO_ENABLED=0; gcc -Os -static pause.c"
key=$( { cat "$patch_file"; echo "$build_recipe"; } | sha256sum | cut -c1-12)
home="$cache/kube-cluster-v$k8s_version-$key"
bin="$home/bin"
pause_image=k8s.gcr.io/pause:3.2
start_timeout="${BELLM_KUBE_START_TIMEOUT:-60}"
node_timeout="${BELLM_KUBE_NODE_TIMEOUT:-120}"
cmd="${1:-start}"
state="${2:-${BELLM_CLUSTER_STATE:-${TMPDIR:-/tmp}/bellm-kube-cluster}}"
[ "$cmd" = build ] || { mkdir -p "$state"; state="$(cd "$state" && pwd)"; }
kubeconfig="$state/kubeconfig"
log() { echo "kube-cluster: $*" >&2; }

build() {
  local apiserver; apiserver=$("$here/kube-apiserver.sh" build)
  mkdir -p "$home" && ln -sfn "$apiserver" "$home/kube-apiserver"
  local b missing=0
  for b in "${node_binaries[@]}" pause; do [ -x "$bin/$b" ] || missing=1; done
  [ $missing = 0 ] && return
  kube_install_packages gcc libc6-dev patch
  local work="$home/build" tree
  tree=$(kube_prepare_source "$work")
  log "applying $(basename "$patch_file")"
  (cd "$tree" && patch -p1 --forward < "$patch_file" >&2)
  local started=$SECONDS
  kube_make "$work" "$tree" cmd/kubelet cmd/kube-controller-manager cmd/kube-scheduler
  mkdir -p "$home/bin.tmp"
  for b in "${node_binaries[@]}"; do
    local built; built=$(find "$tree/_output" -type f -name "$b" -perm -u+x | head -1)
    [ -n "$built" ] || { log "build produced no $b binary"; exit 1; }
    cp "$built" "$home/bin.tmp/$b"
  done
  # the sandbox ("pause") container's only process; the tree's Makefile builds it the same way, in a container
  gcc -Os -Wall -Werror -static -DVERSION=v3.4-debian-$k8s_version "$tree/build/pause/linux/pause.c" -o "$home/bin.tmp/pause"
  rm -rf "$bin" && mv "$home/bin.tmp" "$bin"
  log "built ${node_binaries[*]} and pause into $bin in $((SECONDS - started)) s"
  rm -rf "$work"
}

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }
# A pid file can outlive its process and the pid be reused: only a process serving this state dir counts.
alive() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$state/"
}
free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"; }
kctl() { kubectl --kubeconfig "$kubeconfig" --request-timeout 10s "$@"; }

# launch NAME CMD...: the component in its own session, output in logs/NAME.log, pid in NAME.pid
launch() {
  local name=$1; shift
  setsid "$@" < /dev/null > "$state/logs/$name.log" 2>&1 &
  echo $! > "$state/$name.pid"
}

# wait_for NAME URL [CURL ARGS]: polls URL until it answers 2xx, the component exits or the timeout passes
wait_for() {
  local what=$1 url=$2 deadline=$((SECONDS + start_timeout)); shift 2
  while [ $SECONDS -lt $deadline ]; do
    # kill -0, not alive: until the background shell execs the component, its command line is this script's
    kill -0 "$(pid_of "$what")" 2>/dev/null \
      || { tail -30 "$state/logs/$what.log" >&2; log "$what exited, log above"; stop; exit 1; }
    if curl -fsS --max-time 2 "$@" "$url" >/dev/null 2>&1; then return; fi
    sleep 0.3
  done
  log "$what not ready at $url after $start_timeout s; log: $state/logs/$what.log"; stop; exit 1
}

bridge_interface_ip() {
  local interface
  interface=$(docker network inspect bridge \
    --format '{{index .Options "com.docker.network.bridge.name"}}' 2>/dev/null) || return 0
  [ -n "$interface" ] || return 0
  ip -4 -o addr show dev "$interface" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }'
}

host_ip() {
  local ip="" tries=0
  # bounded wait: an answering dockerd may not have (re)created its default bridge yet
  while [ -z "$ip" ] && [ $tries -lt 30 ]; do
    ip=$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)
    # a dockerd that finds its bridge interface already addressed (left by an earlier dockerd) records only the
    # subnet, so the interface's own address is the gateway
    [ -n "$ip" ] || ip=$(bridge_interface_ip)
    [ -n "$ip" ] || { tries=$((tries + 1)); sleep 1; }
  done
  if [ -z "$ip" ]; then
    log "no gateway address on docker's bridge network after 30 s; docker network inspect bridge says:"
    docker network inspect bridge >&2 || true
    ip -4 -o addr show >&2 || true
    local dockerd_log="${BELLM_RUNTIME_STATE:-${TMPDIR:-/tmp}/bellm-container-runtime}/logs/dockerd.log"
    [ ! -f "$dockerd_log" ] || { log "last lines of $dockerd_log:"; tail -20 "$dockerd_log" >&2; }
    exit 1
  fi
  ip -4 -o addr show | grep -qF " $ip/" || { log "docker's bridge address $ip is not on this machine"; exit 1; }
  echo "$ip"
}

# The kubelet's API accepts the API server by a client certificate of this CA (CN kube-apiserver-kubelet-client,
# group system:masters) and bearer tokens through the API server's TokenReview/SubjectAccessReview.
make_kubelet_client_cert() {
  local pki="$state/pki"; mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=bellm-kubelet-client-ca \
    -keyout "$pki/kubelet-client-ca.key" -out "$pki/kubelet-client-ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" \
    -keyout "$pki/apiserver-kubelet-client.key" -out "$pki/apiserver-kubelet-client.csr" 2>/dev/null
  openssl x509 -req -in "$pki/apiserver-kubelet-client.csr" -CA "$pki/kubelet-client-ca.crt" \
    -CAkey "$pki/kubelet-client-ca.key" -CAcreateserial -days 365 -out "$pki/apiserver-kubelet-client.crt" 2>/dev/null
}

write_kubeconfig() {
  local server=$1 token=$2
  # the admin token: readable by root only
  (umask 077; : > "$kubeconfig.tmp")
  cat > "$kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bellm
  cluster:
    server: $server
    certificate-authority: $state/certs/apiserver.crt
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
}

# The one Service this cluster routes without kube-proxy: the API server's ClusterIP, for in-cluster clients.
nat_chain=BELLM-KUBE
route_api_service() {
  local cluster_ip=$1 target=$2
  iptables -t nat -N "$nat_chain" 2>/dev/null || iptables -t nat -F "$nat_chain"
  iptables -t nat -A "$nat_chain" -d "$cluster_ip/32" -p tcp --dport 443 -j DNAT --to-destination "$target"
  iptables -t nat -C PREROUTING -j "$nat_chain" 2>/dev/null || iptables -t nat -I PREROUTING -j "$nat_chain"
  iptables -t nat -C OUTPUT -j "$nat_chain" 2>/dev/null || iptables -t nat -I OUTPUT -j "$nat_chain"
}
unroute_api_service() {
  while iptables -t nat -D PREROUTING -j "$nat_chain" 2>/dev/null; do :; done
  while iptables -t nat -D OUTPUT -j "$nat_chain" 2>/dev/null; do :; done
  iptables -t nat -F "$nat_chain" 2>/dev/null || true
  iptables -t nat -X "$nat_chain" 2>/dev/null || true
}

node_ready() {
  [ "$(kctl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{end}' 2>/dev/null)" = True ]
}

all_alive() { alive etcd && alive apiserver && alive controller-manager && alive scheduler && alive kubelet; }

start() {
  if all_alive && node_ready; then echo "$kubeconfig"; return; fi
  [ "$(id -u)" = 0 ] || { log "needs root (kubelet, iptables, mounts)"; exit 1; }
  local other; other=$(pgrep -x kubelet || true)
  for pid in $other; do
    local args; args=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)
    # an empty command line: a kubelet that is exiting (or a zombie), e.g. just after a kill -9
    [ -z "$args" ] || grep -qF "$state/" <<< "$args" || { log "another kubelet ($pid) runs on this machine"; exit 1; }
  done
  build
  # dockerd first: stop removes the pod containers a previous run may have left
  "$here/container-runtime.sh" start "${BELLM_RUNTIME_STATE:-${TMPDIR:-/tmp}/bellm-container-runtime}"
  stop
  kube_install_packages etcd-server
  local started=$SECONDS ip; ip=$(host_ip)
  mkdir -p "$state/logs"
  echo "$ip" > "$state/host-ip"
  if ! docker image inspect "$pause_image" >/dev/null 2>&1; then
    rm -rf "$state/pause" && mkdir -p "$state/pause" && cp "$bin/pause" "$state/pause/pause"
    tar -C "$state/pause" -cf - pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$pause_image" >/dev/null
    rm -rf "$state/pause"
    log "imported $pause_image from $bin/pause"
  fi

  local etcd_port peer_port api_port kcm_port sched_port token
  etcd_port=$(free_port 127.0.0.1); peer_port=$(free_port 127.0.0.1); api_port=$(free_port "$ip")
  kcm_port=$(free_port 127.0.0.1); sched_port=$(free_port 127.0.0.1)
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077; echo "$token,bellm-admin,bellm-admin,system:masters" > "$state/tokens.csv")
  [ -f "$state/sa.key" ] || (umask 077; openssl genrsa -out "$state/sa.key" 2048 2>/dev/null)
  make_kubelet_client_cert
  echo "nameserver 127.0.0.1" > "$state/resolv.conf"

  launch etcd etcd --name bellm --data-dir "$state/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "bellm=http://127.0.0.1:$peer_port"
  wait_for etcd "http://127.0.0.1:$etcd_port/health"

  # --kubelet-preferred-address-types InternalIP: else logs/exec dial the node's hostname (-> 127.0.0.1:10250)
  # --enable-aggregator-routing: webhooks are called at their Service's endpoints (pod IPs, reachable from this
  # host), not at its cluster IP, which nothing routes here (no kube-proxy)
  launch apiserver "$home/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$ip" --advertise-address "$ip" --secure-port "$api_port" --insecure-port 0 \
    --cert-dir "$state/certs" --token-auth-file "$state/tokens.csv" --authorization-mode RBAC \
    --service-account-key-file "$state/sa.key" --service-account-signing-key-file "$state/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.0.0.0/24 --allow-privileged \
    --kubelet-preferred-address-types InternalIP --enable-aggregator-routing=true \
    --kubelet-client-certificate "$state/pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$state/pki/apiserver-kubelet-client.key"
  wait_for apiserver "https://$ip:$api_port/readyz" -k -H "Authorization: Bearer $token"
  write_kubeconfig "https://$ip:$api_port" "$token"
  log "kube-apiserver ready at https://$ip:$api_port after $((SECONDS - started)) s"

  launch controller-manager "$bin/kube-controller-manager" --kubeconfig "$kubeconfig" \
    --service-account-private-key-file "$state/sa.key" --root-ca-file "$state/certs/apiserver.crt" \
    --use-service-account-credentials=false --leader-elect=false --controllers '*,-csrsigning' \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --port 0 --flex-volume-plugin-dir "$state/kcm-flexvolume"
  launch scheduler "$bin/kube-scheduler" --kubeconfig "$kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --port 0
  wait_for controller-manager "https://127.0.0.1:$kcm_port/healthz" -k
  wait_for scheduler "https://127.0.0.1:$sched_port/healthz" -k
  log "controller-manager and scheduler healthy after $((SECONDS - started)) s"

  local cluster_ip; cluster_ip=$(kctl get service kubernetes -o jsonpath='{.spec.clusterIP}')
  route_api_service "$cluster_ip" "$ip:$api_port"

  mkdir -p "$state/kubelet"
  launch kubelet env AWS_EC2_METADATA_DISABLED=true "$bin/kubelet" --kubeconfig "$kubeconfig" --register-node \
    --container-runtime=docker --docker-endpoint=unix:///var/run/docker.sock \
    --cgroup-driver=cgroupfs --fail-swap-on=false --pod-infra-container-image="$pause_image" \
    --root-dir "$state/kubelet" --cert-dir "$state/kubelet/pki" --volume-plugin-dir "$state/kubelet-volume-plugins" \
    --experimental-dockershim-root-directory "$state/dockershim" \
    --node-ip "$ip" --address "$ip" --read-only-port 0 --resolv-conf "$state/resolv.conf" \
    --anonymous-auth=false --client-ca-file "$state/pki/kubelet-client-ca.crt" \
    --authentication-token-webhook --authorization-mode Webhook \
    --image-gc-high-threshold 100 --image-gc-low-threshold 99 --node-status-update-frequency 2s
  wait_for kubelet "http://127.0.0.1:10248/healthz"
  log "kubelet healthy after $((SECONDS - started)) s"
  local deadline=$((SECONDS + node_timeout))
  until node_ready; do
    kill -0 "$(pid_of kubelet)" 2>/dev/null || { tail -30 "$state/logs/kubelet.log" >&2; log "kubelet exited"; stop; exit 1; }
    [ $SECONDS -lt $deadline ] || { log "node not Ready after $node_timeout s; log: $state/logs/kubelet.log"; stop; exit 1; }
    sleep 0.5
  done
  # pods can be created once the namespace's default ServiceAccount (and its token) exists
  deadline=$((SECONDS + start_timeout))
  until [ -n "$(kctl get serviceaccount default -o jsonpath='{.secrets[0].name}' 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || { log "no default ServiceAccount token after $start_timeout s"; stop; exit 1; }
    sleep 0.3
  done
  log "node $(kctl get nodes -o jsonpath='{.items[0].metadata.name}') Ready, $((SECONDS - started)) s after start" \
    "(API server https://$ip:$api_port; pods reach the host at $ip)"
  echo "$kubeconfig"
}

# stop NAME...: TERM to all of them at once (each takes 1-3 s to exit), KILL to any still there after 20 s
stop_all() {
  local name pids=() pid
  for name in "$@"; do alive "$name" && pids+=("$(pid_of "$name")"); done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for name in "$@"; do rm -f "$state/$name.pid"; done
}

# every mount point at or below DIR, deepest first
mounts_under() { awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r; }

stop() {
  stop_all kubelet scheduler controller-manager
  # the pods' containers outlive the kubelet; dockerd keeps exited ones until the kubelet's container GC
  if timeout 10 docker info >/dev/null 2>&1; then
    local ids; ids=$(docker ps -aq --filter name=k8s_)
    [ -z "$ids" ] || { log "removing $(echo "$ids" | wc -l) pod container(s)"; echo "$ids" | xargs docker rm -f >/dev/null; }
  fi
  # volumes (secrets are tmpfs mounts) and the kubelet's bind mount of its root dir onto itself
  local m
  for m in $(mounts_under "$state/kubelet"); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  stop_all apiserver
  stop_all etcd
  [ "$(id -u)" = 0 ] && unroute_api_service
  # what the kubelet writes outside its root dir; only when no other kubelet runs here
  if ! pgrep -x kubelet >/dev/null; then
    rm -rf /var/lib/kubelet /var/lib/dockershim /var/log/pods /var/log/containers /var/lib/cni /var/run/dockershim.sock
    local d
    for d in /sys/fs/cgroup/*/kubepods; do
      [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
  fi
  rm -rf "$state/kubelet" "$state/dockershim" "$state/kubelet-volume-plugins" "$state/kcm-flexvolume" \
    "$state/etcd" "$state/certs" "$state/pki" "$state/tokens.csv" "$state/pause" "$kubeconfig" "$state/host-ip"
}

case "$cmd" in
  build) build; echo "$bin" ;;
  start) start ;;
  stop) stop ;;
  env) all_alive || { log "not running for $state"; exit 1; }
       echo "KUBECONFIG=$kubeconfig"; echo "BELLM_KUBE_HOST_IP=$(cat "$state/host-ip")" ;;
  *) echo "usage: $0 build|start|stop|env [STATE_DIR]" >&2; exit 2 ;;
esac
