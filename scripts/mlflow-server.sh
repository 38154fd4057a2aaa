#!/usr/bin/env bash
# The real MLflow tracking server for tests and for the local main job.
#   scripts/mlflow-server.sh start [STATE_DIR]   installs mlflow in a venv (once), starts the server, prints its URI
#   scripts/mlflow-server.sh stop  [STATE_DIR]   stops the server started in STATE_DIR (by pid)
#   scripts/mlflow-server.sh uri   [STATE_DIR]   prints the URI of the server running for STATE_DIR
# The server uses a sqlite backend store and serves (proxies) artifacts from STATE_DIR/artifacts.
# Idempotent: starting an already running server only prints its URI. A restart reuses the same store and port.
set -euo pipefail
mlflow_version=3.17.2
cache="${BELLM_CACHE:-$HOME/.cache/bellm}"
venv="$cache/mlflow-$mlflow_version"
cmd="${1:-start}"
state="${2:-${BELLM_MLFLOW_STATE:-${TMPDIR:-/tmp}/bellm-mlflow}}"
pidfile="$state/server.pid"
portfile="$state/server.port"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
uri() { echo "http://127.0.0.1:$(cat "$portfile")"; }

install() {
  [ -x "$venv/bin/mlflow" ] && return
  echo "mlflow-server: installing mlflow==$mlflow_version into $venv" >&2
  rm -rf "$venv.tmp"
  python3 -m venv "$venv.tmp"
  "$venv.tmp/bin/pip" install --quiet "mlflow==$mlflow_version" >&2
  rm -rf "$venv" && mv "$venv.tmp" "$venv"
  # venv scripts carry absolute shebangs: rewrite them for the final location
  sed -i "1s|$venv.tmp|$venv|" "$venv"/bin/*
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  if running; then uri; return; fi
  install
  mkdir -p "$state/artifacts"
  [ -f "$portfile" ] || free_port > "$portfile"
  local port; port=$(cat "$portfile")
  # setsid: the server and its workers get a process group of their own, so stop can end them all
  setsid nohup "$venv/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$state/mlflow.db" \
    --artifacts-destination "$state/artifacts" --serve-artifacts \
    > "$state/server.log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if curl -fsS "$(uri)/health" >/dev/null 2>&1; then uri; return; fi
    running || { tail -30 "$state/server.log" >&2; echo "mlflow-server: server exited, log above" >&2; exit 1; }
    sleep 0.5
  done
  echo "mlflow-server: no answer on $(uri)/health after 60 s; log: $state/server.log" >&2
  exit 1
}

stop() {
  running || return 0
  local pid; pid=$(cat "$pidfile")
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }; sleep 0.25; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  uri) running && uri || { echo "mlflow-server: not running for $state" >&2; exit 1; } ;;
  install) install ;;
  *) echo "usage: $0 start|stop|uri|install [STATE_DIR]" >&2; exit 2 ;;
esac
