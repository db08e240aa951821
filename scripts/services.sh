#!/usr/bin/env bash
# Starts, stops and reports the local services Switchboard runs on in development,
# tests and CI, all on loopback: PostgreSQL (a private cluster under .local/), FerretDB
# (the MongoDB protocol, on that PostgreSQL or, with SB_FERRETDB_HANDLER=sqlite, on
# SQLite files) and Redis. Idempotent: "start" leaves running services alone. When
# MONGO_URL or REDIS_URL is set, that service is external and is neither started nor
# stopped here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
DATA="$LOCAL/data"
FERRET_BIN="$LOCAL/bin/ferretdb"
FERRET_PORT="${SB_FERRETDB_PORT:-27117}"
FERRET_HANDLER="${SB_FERRETDB_HANDLER:-postgresql}"
REDIS_PORT="${SB_REDIS_PORT:-6479}"
PG_PORT="${SB_POSTGRES_PORT:-5433}"
PG_DATA="$DATA/postgres"
PG_SOCKETS="$RUN/postgres"
# The cluster's superuser role, and the database FerretDB keeps every MongoDB database
# in (one PostgreSQL schema each). Loopback connections are trusted, as FerretDB's are.
PG_ROLE=postgres
PG_DB=ferretdb
# PostgreSQL refuses to run as root: then the cluster belongs to this system user,
# the one Debian's package creates (created here when missing).
PG_OS_USER=postgres
# Services in the order they are stopped: FerretDB before the PostgreSQL it uses.
SERVICES=(ferretdb redis postgres)

mkdir -p "$RUN" "$DATA" "$LOCAL/bin"

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "$@"; exit 1; }

case "$FERRET_HANDLER" in
  postgresql | sqlite) ;;
  *) die "SB_FERRETDB_HANDLER must be postgresql or sqlite, not '$FERRET_HANDLER'" ;;
esac

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

apt_install() {
  log "installing $* from Debian"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The launcher's go.mod asks for Go 1.22; Debian 12's own golang package is 1.19.
GO_MIN_MINOR=22

check_go() {
  command -v go >/dev/null || die "Go 1.$GO_MIN_MINOR or newer is required to build the FerretDB launcher"
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

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# --- PostgreSQL ---

# Debian keeps the server binaries off PATH, one directory per major version: take the
# one the cluster was created with, else the newest installed, else PATH.
pg_bindir() {
  local want="" dir
  [[ -f "$PG_DATA/PG_VERSION" ]] && want="$(cat "$PG_DATA/PG_VERSION")"
  if [[ -n "$want" && -x "/usr/lib/postgresql/$want/bin/postgres" ]]; then echo "/usr/lib/postgresql/$want/bin"; return 0; fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$dir" ]] && command -v initdb >/dev/null; then dir="$(dirname "$(command -v initdb)")"; fi
  [[ -n "$dir" && -x "$dir/postgres" ]] || return 1
  echo "$dir"
}

find_postgres() {
  if ! PG_BIN="$(pg_bindir)"; then
    apt_install postgresql
    PG_BIN="$(pg_bindir)" || die "Debian's postgresql package did not provide the PostgreSQL server"
  fi
  local made; made="$(cat "$PG_DATA/PG_VERSION" 2>/dev/null || true)"
  if [[ -n "$made" && "$("$PG_BIN/postgres" --version)" != *" $made."* ]]; then
    die "the cluster in $PG_DATA was made by PostgreSQL $made, which is not installed; install postgresql-$made or remove $PG_DATA"
  fi
}

as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u "$PG_OS_USER" -- "$@"); else "$@"; fi
}

psql_local() {
  PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" "$@"
}

prepare_pg_owner() {
  [[ $(id -u) -eq 0 ]] || return 0
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    log "creating the system user $PG_OS_USER to run PostgreSQL (it refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER"
  fi
  chown "$PG_OS_USER:" "$PG_DATA" "$PG_SOCKETS" "$RUN/postgres.log"
  as_pg_owner test -w "$PG_DATA" ||
    die "the $PG_OS_USER user cannot reach $PG_DATA: every directory above it must be searchable by others (chmod o+x)"
}

start_postgres() {
  if running postgres; then return 0; fi
  if port_open "$PG_PORT"; then die "port $PG_PORT is taken by another process (SB_POSTGRES_PORT chooses another)"; fi
  find_postgres
  mkdir -p "$PG_DATA" "$PG_SOCKETS"
  chmod 700 "$PG_DATA" "$PG_SOCKETS"
  : >>"$RUN/postgres.log"
  prepare_pg_owner
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "creating the PostgreSQL cluster in $PG_DATA"
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_ROLE" --auth=trust --encoding=UTF8 --no-locale \
      >>"$RUN/postgres.log" 2>&1 || die "initdb failed; see $RUN/postgres.log"
    echo "include_if_exists = 'switchboard.conf'" >>"$PG_DATA/postgresql.conf"
  fi
  # Rewritten on every start, so the port and paths follow the environment and checkout.
  cat >"$PG_DATA/switchboard.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKETS'
CONF
  [[ $(id -u) -ne 0 ]] || chown "$PG_OS_USER:" "$PG_DATA/switchboard.conf"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$RUN/postgres.log" -w -t 60 -s start ||
    { tail -n 20 "$RUN/postgres.log" >&2; die "PostgreSQL did not start; see $RUN/postgres.log"; }
  head -n 1 "$PG_DATA/postmaster.pid" >"$RUN/postgres.pid"
  if [[ -z "$(psql_local -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]]; then
    psql_local -d postgres -c "CREATE DATABASE $PG_DB" || die "could not create the $PG_DB database; see $RUN/postgres.log"
  fi
  log "PostgreSQL on 127.0.0.1:$PG_PORT (database $PG_DB)"
}

# --- FerretDB ---

start_ferretdb() {
  if [[ -n "${MONGO_URL:-}" ]]; then log "MONGO_URL is set; not starting FerretDB"; return 0; fi
  [[ "$FERRET_HANDLER" == sqlite ]] || start_postgres
  if running ferretdb; then
    local on; on="$(cat "$RUN/ferretdb.handler" 2>/dev/null || echo sqlite)"
    [[ "$on" == "$FERRET_HANDLER" ]] ||
      log "FerretDB is running on $on, not $FERRET_HANDLER; 'scripts/services.sh restart' switches it"
    return 0
  fi
  if port_open "$FERRET_PORT"; then die "port $FERRET_PORT is taken by another process"; fi
  build_ferretdb
  if [[ "$FERRET_HANDLER" != sqlite ]]; then
    find_postgres
    # Indexes FerretDB's equality filters can use (see the file); idempotent, and before
    # FerretDB connects, as its planner setting applies to new connections.
    psql_local -d "$PG_DB" -f "$ROOT/scripts/ferretdb/equality-indexes.sql" >>"$RUN/postgres.log" 2>&1 ||
      die "could not install the equality indexes; see $RUN/postgres.log"
  fi
  local storage=(-data "$DATA/ferretdb")
  [[ "$FERRET_HANDLER" == sqlite ]] || storage=(-postgresql-url "postgres://$PG_ROLE@127.0.0.1:$PG_PORT/$PG_DB")
  nohup "$FERRET_BIN" -listen "127.0.0.1:$FERRET_PORT" -handler "$FERRET_HANDLER" "${storage[@]}" \
    >"$RUN/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  echo "$FERRET_HANDLER" >"$RUN/ferretdb.handler"
  wait_port "$FERRET_PORT" ferretdb
  log "FerretDB on mongodb://127.0.0.1:$FERRET_PORT (on $FERRET_HANDLER)"
}

# --- Redis ---

start_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then log "REDIS_URL is set; not starting Redis"; return 0; fi
  if running redis; then return 0; fi
  if port_open "$REDIS_PORT"; then die "port $REDIS_PORT is taken by another process"; fi
  command -v redis-server >/dev/null || apt_install redis-server
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DATA" --dbfilename redis.rdb \
    --appendonly yes --appendfilename redis.aof --save "" --daemonize no \
    --pidfile "$RUN/redis.pid" >"$RUN/redis.log" 2>&1 &
  echo $! >"$RUN/redis.pid"
  wait_port "$REDIS_PORT" redis
  log "Redis on redis://127.0.0.1:$REDIS_PORT"
}

# --- all of them ---

stop_one() {
  local name="$1"
  # SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for clients to leave).
  local signal=TERM; [[ "$name" != postgres ]] || signal=INT
  if running "$name"; then
    local pid; pid="$(cat "$RUN/$name.pid")"
    kill -s "$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within 30 s; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
    log "$name stopped"
  fi
  rm -f "$RUN/$name.pid"
}

status_one() {
  local name="$1" port="$2" detail=""
  [[ "$name" != ferretdb ]] || detail=", on $(cat "$RUN/ferretdb.handler" 2>/dev/null || echo sqlite)"
  if running "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"), port $port$detail)"; else echo "$name: stopped"; fi
}

known() { [[ " ${SERVICES[*]} " == *" $1 "* ]] || die "unknown service '$1' (${SERVICES[*]})"; }

case "${1:-status}" in
  start)
    if (($# > 1)); then
      for name in "${@:2}"; do known "$name"; "start_$name"; done
    else
      start_ferretdb; start_redis
    fi ;;
  stop)
    for name in "${@:2}"; do known "$name"; done
    for name in "${SERVICES[@]}"; do
      if (($# == 1)) || [[ " ${*:2} " == *" $name "* ]]; then stop_one "$name"; fi
    done ;;
  running) for name in "${SERVICES[@]}"; do running "$name" && echo "$name"; done; true ;;
  restart) bash "${BASH_SOURCE[0]}" stop; bash "${BASH_SOURCE[0]}" start ;;
  status)
    status_one ferretdb "$FERRET_PORT"; status_one redis "$REDIS_PORT"; status_one postgres "$PG_PORT" ;;
  build) build_ferretdb ;;
  env)
    echo "MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:$FERRET_PORT/switchboard}"
    echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
    ;;
  psql)
    running postgres || die "PostgreSQL is not running; 'scripts/services.sh start postgres' starts it"
    find_postgres
    psql_local -d "$PG_DB" "${@:2}" ;;
  *)
    echo "usage: $0 start|stop [ferretdb|redis|postgres]…|restart|status|running|build|env|psql [ARG…]" >&2
    exit 2 ;;
esac
