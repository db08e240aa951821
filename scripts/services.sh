#!/usr/bin/env bash
# Starts, stops and reports the local services Switchboard runs on in development,
# tests and CI: FerretDB (MongoDB protocol, on SQLite) and Redis, both on loopback.
# Idempotent: "start" leaves running services alone. When MONGO_URL or REDIS_URL is
# set, that service is external and is neither started nor stopped here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
DATA="$LOCAL/data"
FERRET_BIN="$LOCAL/bin/ferretdb"
FERRET_PORT="${SB_FERRETDB_PORT:-27117}"
REDIS_PORT="${SB_REDIS_PORT:-6479}"

mkdir -p "$RUN" "$DATA" "$LOCAL/bin"

log() { printf 'services: %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port="$1" name="$2"
  for _ in $(seq 1 100); do
    port_open "$port" && return 0
    sleep 0.1
  done
  log "$name did not open port $port; see $RUN/$name.log"
  tail -n 20 "$RUN/$name.log" >&2 || true
  return 1
}

# The launcher's go.mod asks for Go 1.22; Debian 12's own golang package is 1.19.
GO_MIN_MINOR=22

check_go() {
  command -v go >/dev/null || { log "Go 1.$GO_MIN_MINOR or newer is required to build the FerretDB launcher"; exit 1; }
  local v; v="$(go env GOVERSION 2>/dev/null || go version | awk '{print $3}')"
  local minor; minor="$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$v")"
  if ! [[ "$minor" =~ ^[0-9]+$ ]] || ((minor < GO_MIN_MINOR)); then
    log "Go 1.$GO_MIN_MINOR or newer is required to build the FerretDB launcher; found $v."
    log "Debian 12's golang package is 1.19: install golang-1.$GO_MIN_MINOR or newer from bookworm-backports, or an official Go release, and put it first on PATH."
    exit 1
  fi
}

build_ferretdb() {
  if [[ -x "$FERRET_BIN" && "$FERRET_BIN" -nt "$ROOT/scripts/ferretdb/main.go" && "$FERRET_BIN" -nt "$ROOT/scripts/ferretdb/go.sum" ]]; then
    return 0
  fi
  check_go
  log "building the FerretDB launcher (first run takes about a minute)"
  (cd "$ROOT/scripts/ferretdb" && go build -o "$FERRET_BIN" .)
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server from Debian"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
}

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_ferretdb() {
  if [[ -n "${MONGO_URL:-}" ]]; then log "MONGO_URL is set; not starting FerretDB"; return 0; fi
  if running ferretdb; then return 0; fi
  if port_open "$FERRET_PORT"; then log "port $FERRET_PORT is taken by another process"; exit 1; fi
  build_ferretdb
  nohup "$FERRET_BIN" -listen "127.0.0.1:$FERRET_PORT" -data "$DATA/ferretdb" >"$RUN/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  wait_port "$FERRET_PORT" ferretdb
  log "FerretDB on mongodb://127.0.0.1:$FERRET_PORT"
}

start_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then log "REDIS_URL is set; not starting Redis"; return 0; fi
  if running redis; then return 0; fi
  if port_open "$REDIS_PORT"; then log "port $REDIS_PORT is taken by another process"; exit 1; fi
  ensure_redis_installed
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DATA" --dbfilename redis.rdb \
    --appendonly yes --appendfilename redis.aof --save "" --daemonize no \
    --pidfile "$RUN/redis.pid" >"$RUN/redis.log" 2>&1 &
  echo $! >"$RUN/redis.pid"
  wait_port "$REDIS_PORT" redis
  log "Redis on redis://127.0.0.1:$REDIS_PORT"
}

stop_one() {
  local name="$1"
  if running "$name"; then
    local pid; pid="$(cat "$RUN/$name.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "$name stopped"
  fi
  rm -f "$RUN/$name.pid"
}

status_one() {
  local name="$1" port="$2"
  if running "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"), port $port)"; else echo "$name: stopped"; fi
}

case "${1:-status}" in
  start) start_ferretdb; start_redis ;;
  stop)
    if (($# > 1)); then for name in "${@:2}"; do stop_one "$name"; done
    else stop_one ferretdb; stop_one redis; fi ;;
  running) for name in ferretdb redis; do running "$name" && echo "$name"; done; true ;;
  restart) "$0" stop; "$0" start ;;
  status) status_one ferretdb "$FERRET_PORT"; status_one redis "$REDIS_PORT" ;;
  build) build_ferretdb ;;
  env)
    echo "MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:$FERRET_PORT/switchboard}"
    echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
    ;;
  *) echo "usage: $0 start|stop [ferretdb|redis]…|restart|status|running|build|env" >&2; exit 2 ;;
esac
