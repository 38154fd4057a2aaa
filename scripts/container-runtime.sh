#!/usr/bin/env bash
# The container runtime of this machine (no systemd here): containerd + dockerd with the cgroupfs driver, for the
# images (scripts/build-images.sh) and the kubelet of scripts/kube-cluster.sh (dockershim drives dockerd).
#   scripts/container-runtime.sh start  [STATE_DIR]  installs what is missing (apt, root), starts containerd then dockerd,
#                                                    returns once `docker info` answers; nothing to do if it already does
#   scripts/container-runtime.sh stop   [STATE_DIR]  stops the dockerd and containerd started for STATE_DIR (their
#                                                    containers stop with dockerd), unmounts docker's netns files
#   scripts/container-runtime.sh status [STATE_DIR]  says what runs; exit 0 when `docker info` answers
# STATE_DIR (default ${TMPDIR:-/tmp}/bellm-container-runtime, or BELLM_RUNTIME_STATE) holds the pid files and
# logs/{containerd,dockerd}.log. Docker's own data stays where the Debian package puts it (/var/lib/docker), so images
# survive a stop. Waits are bounded by BELLM_RUNTIME_START_TIMEOUT (default 60 s).
# No registry is reachable from here, and no pull may even look one up: dockerd gets HTTP(S)_PROXY on a loopback port
# where nothing listens (BELLM_DOCKERD_PULL_PROXY, default http://127.0.0.1:9; empty: none, for a machine that has a
# registry), so every pull fails at once. Containers cannot reach link-local addresses (cloud metadata).
set -euo pipefail
cmd="${1:-start}"
state="${2:-${BELLM_RUNTIME_STATE:-${TMPDIR:-/tmp}/bellm-container-runtime}}"
mkdir -p "$state/logs"; state="$(cd "$state" && pwd)"
start_timeout="${BELLM_RUNTIME_START_TIMEOUT:-60}"
pull_proxy="${BELLM_DOCKERD_PULL_PROXY-http://127.0.0.1:9}"
containerd_sock=/run/containerd/containerd.sock
# conntrack and socat: the kubelet's port forwarding (socat) and service cleanup (conntrack) use them
apt_packages=(docker.io debootstrap containernetworking-plugins conntrack socat)
log() { echo "container-runtime: $*" >&2; }

install_packages() {
  local missing=() p
  for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || { log "needs root to install: ${missing[*]}"; exit 1; }
  log "installing ${missing[*]} (log $state/logs/apt.log)"
  { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}"; } \
    > "$state/logs/apt.log" 2>&1 || { tail -20 "$state/logs/apt.log" >&2; log "apt-get failed, log above"; exit 1; }
}

pid_of() { cat "$state/$1.pid" 2>/dev/null || true; }
# A pid file can outlive its process and the pid be reused: only a process of that name counts.
alive() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}
docker_up() { timeout 10 docker info >/dev/null 2>&1; }
containerd_up() { [ -S "$containerd_sock" ] && timeout 5 ctr --address "$containerd_sock" version >/dev/null 2>&1; }

# wait_until WHAT PIDNAME CHECK...: polls CHECK until it succeeds, the daemon exits or the timeout passes
wait_until() {
  local what=$1 name=$2 deadline=$((SECONDS + start_timeout)); shift 2
  while [ $SECONDS -lt $deadline ]; do
    "$@" && return
    kill -0 "$(pid_of "$name")" 2>/dev/null || { tail -20 "$state/logs/$name.log" >&2; log "$what exited, log above"; exit 1; }
    sleep 0.5
  done
  log "$what not ready after $start_timeout s; log: $state/logs/$name.log"; exit 1
}

start() {
  if docker_up; then
    log "dockerd already answers"
    [ "$(id -u)" = 0 ] && guard_metadata
    return
  fi
  install_packages
  [ "$(id -u)" = 0 ] || { log "dockerd needs root"; exit 1; }
  if containerd_up; then
    log "containerd already answers on $containerd_sock"
  else
    log "starting containerd (log $state/logs/containerd.log)"
    setsid containerd < /dev/null >> "$state/logs/containerd.log" 2>&1 &
    echo $! > "$state/containerd.pid"
    wait_until containerd containerd containerd_up
  fi
  # a dockerd that died leaves its pid file behind and the next one refuses to start
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then rm -f /var/run/docker.pid; fi
  log "starting dockerd (log $state/logs/dockerd.log)"
  local started=$SECONDS
  # image pulls go to a proxy address on loopback where nothing listens: a pull (`docker pull`, a FROM of a remote
  # image, a pod whose image is missing) fails at once, without looking up the registry's name in the machine's DNS
  local proxy=()
  [ -z "$pull_proxy" ] || proxy=(HTTP_PROXY="$pull_proxy" HTTPS_PROXY="$pull_proxy" NO_PROXY=)
  env "${proxy[@]}" setsid dockerd --containerd="$containerd_sock" --exec-opt native.cgroupdriver=cgroupfs \
    < /dev/null >> "$state/logs/dockerd.log" 2>&1 &
  echo $! > "$state/dockerd.pid"
  wait_until dockerd dockerd docker_up
  guard_metadata
  log "dockerd ready in $((SECONDS - started)) s: $(docker info --format '{{.ServerVersion}}, {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}')"
}

# Docker NATs containers to the outside (apt inside `docker build` reaches the mirror that way); no container may reach
# a link-local address (169.254.169.254 is the cloud metadata service): rejected in docker's DOCKER-USER chain.
metadata_rule=(DOCKER-USER -d 169.254.0.0/16 -j REJECT -m comment --comment bellm-no-metadata)
guard_metadata() {
  iptables -C "${metadata_rule[@]}" 2>/dev/null || iptables -I "${metadata_rule[@]}"
}

stop_one() {
  local name=$1 wait_s=$2 pid; pid=$(pid_of "$name")
  if alive "$name"; then
    log "stopping $name ($pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + wait_s))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { log "$name still running after $wait_s s: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$state/$name.pid"
}

stop() {
  if ! alive dockerd && ! alive containerd; then
    docker_up && log "dockerd answers but was not started for $state: left alone" || log "not running for $state"
  fi
  # dockerd stops its running containers itself on TERM (10 s each at most, in parallel)
  stop_one dockerd 45
  while iptables -D "${metadata_rule[@]}" 2>/dev/null; do :; done
  stop_one containerd 15
  # shims of containers that outlived their daemons (e.g. after a KILL): their containers are gone with dockerd
  local pid
  for pid in $(pgrep -x containerd-shim || true); do  # comm: 15 characters of containerd-shim-runc-v2
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- '-namespace moby' || continue
    pgrep -x containerd >/dev/null && continue
    log "stopping leftover containerd-shim $pid"; kill -TERM "$pid" 2>/dev/null || true
  done
  # dockerd bind-mounts each network namespace it made under /run/docker/netns (the "default" one stays mounted)
  local m
  for m in $(awk '$5 ~ "^/run/docker/netns/" { print $5 }' /proc/self/mountinfo); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
}

status() {
  local name
  for name in containerd dockerd; do
    if alive "$name"; then echo "$name: running, pid $(pid_of "$name") (started for $state)"; else echo "$name: not started for $state"; fi
  done
  if docker_up; then
    echo "docker: $(docker info --format '{{.ServerVersion}}, {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}, {{.Containers}} containers, {{.Images}} images')"
  else
    echo "docker: not answering"; return 1
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [STATE_DIR]" >&2; exit 2 ;;
esac
