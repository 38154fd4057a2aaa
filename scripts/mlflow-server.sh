#!/usr/bin/env bash
# The real MLflow tracking server for tests and for the local main job.
#   scripts/mlflow-server.sh install               installs mlflow in a venv under $BELLM_CACHE (once)
#   scripts/mlflow-server.sh start [STATE_DIR]     installs if needed, starts the server, prints its URI
#   scripts/mlflow-server.sh stop  [STATE_DIR]     stops the server started in STATE_DIR (its whole process group)
#   scripts/mlflow-server.sh uri   [STATE_DIR]     prints the URI of the server running for STATE_DIR
# The server uses a sqlite backend store and serves (proxies) artifacts from STATE_DIR/artifacts. It listens on
# BELLM_MLFLOW_HOST (default 127.0.0.1; e.g. the address pods of scripts/kube-cluster.sh reach the host by).
# With BELLM_MLFLOW_ADMIN_PASSWORD set, the server runs MLflow's basic-auth app (user admin with that password, its
# user store in STATE_DIR), so every request needs credentials.
# Idempotent: starting a running server only prints its URI; stopping a stopped one does nothing.
# A restart reuses the same store and, unless another process took it meanwhile, the same port.
set -euo pipefail
mlflow_version=3.17.2
cache="${BELLM_CACHE:-$HOME/.cache/bellm}"
venv="$cache/mlflow-$mlflow_version"
start_timeout="${BELLM_MLFLOW_START_TIMEOUT:-120}"
cmd="${1:-start}"
state="${2:-${BELLM_MLFLOW_STATE:-${TMPDIR:-/tmp}/bellm-mlflow}}"
[ "$cmd" = install ] || { mkdir -p "$state"; state="$(cd "$state" && pwd)"; }
pidfile="$state/server.pid"
portfile="$state/server.port"
hostfile="$state/server.host"

# A pid file can outlive its process and the pid be reused: only a process serving this state dir counts.
running() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$state/mlflow.db"
}
group_alive() { kill -0 -- "-$1" 2>/dev/null; }
requested_host="${BELLM_MLFLOW_HOST:-127.0.0.1}"
host() { cat "$hostfile" 2>/dev/null || echo "$requested_host"; }
uri() { echo "http://$(host):$(cat "$portfile")"; }
port_busy() { (exec 3<>"/dev/tcp/$(host)/$1") 2>/dev/null; }

install() {
  if [ -x "$venv/bin/mlflow" ]; then
    # venvs made before the basic-auth app was used lack its Flask-WTF
    "$venv/bin/python" -c 'import flask_wtf' 2>/dev/null || "$venv/bin/pip" install --quiet "mlflow[auth]==$mlflow_version" >&2
    return
  fi
  echo "mlflow-server: installing mlflow[auth]==$mlflow_version into $venv" >&2
  rm -rf "$venv.tmp"
  python3 -m venv "$venv.tmp"
  "$venv.tmp/bin/pip" install --quiet "mlflow[auth]==$mlflow_version" >&2
  # venv scripts carry the absolute venv path: rewrite the text files only (python itself is a symlink/binary)
  grep -rlI -- "$venv.tmp" "$venv.tmp/bin" | xargs -r sed -i "s|$venv.tmp|$venv|g"
  rm -rf "$venv" && mv "$venv.tmp" "$venv"
}

free_port() { "$venv/bin/python" -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$(host)"; }

start() {
  if running; then uri; return; fi
  install
  mkdir -p "$state/artifacts"
  echo "$requested_host" > "$hostfile"
  if [ -f "$portfile" ] && port_busy "$(cat "$portfile")"; then
    echo "mlflow-server: port $(cat "$portfile") is taken by another process, choosing a new one" >&2
    rm -f "$portfile"
  fi
  [ -f "$portfile" ] || free_port > "$portfile"
  local port; port=$(cat "$portfile")
  local app=()
  if [ -n "${BELLM_MLFLOW_ADMIN_PASSWORD:-}" ]; then
    printf '[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///%s/basic_auth.db\nadmin_username = admin\nauthorization_function = mlflow.server.auth:authenticate_request_basic_auth\n' \
      "$state" > "$state/basic_auth.ini"
    # the app's CSRF protection needs a key that stays the same across restarts
    [ -s "$state/flask.key" ] || od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$state/flask.key"
    app=(--app-name basic-auth)
  fi
  # setsid: the server and its workers get a process group of their own, so stop can end them all.
  # Job execution (GenAI jobs) is off: it forks ~8 huey worker processes this platform does not use.
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false MLFLOW_AUTH_CONFIG_PATH="$state/basic_auth.ini" \
    MLFLOW_AUTH_ADMIN_PASSWORD="${BELLM_MLFLOW_ADMIN_PASSWORD:-}" MLFLOW_FLASK_SERVER_SECRET_KEY="$(cat "$state/flask.key" 2>/dev/null)" \
    setsid "$venv/bin/mlflow" server "${app[@]}" --host "$(host)" --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$state/mlflow.db" \
    --artifacts-destination "$state/artifacts" --serve-artifacts \
    < /dev/null >> "$state/server.log" 2>&1 9>&- &
  echo $! > "$pidfile"
  local deadline=$((SECONDS + start_timeout))
  while [ $SECONDS -lt $deadline ]; do
    # kill -0, not running(): until setsid has exec'd mlflow, the child's command line is still this script's
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -30 "$state/server.log" >&2; echo "mlflow-server: server exited, log above" >&2; exit 1; }
    if curl -fsS --max-time 2 "$(uri)/health" >/dev/null 2>&1; then uri; return; fi
    sleep 0.5
  done
  echo "mlflow-server: no answer on $(uri)/health after $start_timeout s; log: $state/server.log" >&2
  stop
  exit 1
}

# Waits for the whole process group, not just the leader: a surviving worker would keep the port bound.
stop() {
  running || { rm -f "$pidfile"; return 0; }
  local pid; pid=$(cat "$pidfile")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do group_alive "$pid" || break; sleep 0.25; done
  if group_alive "$pid"; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do group_alive "$pid" || break; sleep 0.25; done
  fi
  rm -f "$pidfile"
}

case "$cmd" in
  install) install; exit ;;
  start|stop|uri) ;;
  *) echo "usage: $0 start|stop|uri|install [STATE_DIR]" >&2; exit 2 ;;
esac
# one start/stop at a time per state dir (tests of several JVMs may share one)
exec 9> "$state/lock"
flock 9
case "$cmd" in
  start) start ;;
  stop) stop ;;
  uri) running && uri || { echo "mlflow-server: not running for $state" >&2; exit 1; } ;;
esac
