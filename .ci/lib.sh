# Shared helpers for the project's scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${MOT_CUA_TOOLS_DIR:-$HOME/.cache/mot-cua/tools}"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The environment cargo-leptos gives the server build. Tests are compiled with the same
# values so they reuse the release build's compiled dependencies.
export LEPTOS_OUTPUT_NAME=mot-cua LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || fail "PostgreSQL server binaries not found (run .ci/setup)"
  echo "$dir"
}

# Runs a PostgreSQL tool as a non-root user: PostgreSQL refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DATA_DIR PORT [extra postgres options]: initialise if needed, then start.
pg_start() {
  local data port=$2 extra=${3:-} bin
  data=$(realpath -m "$1")
  bin=$(pg_bin)
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres: "$data" && chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "Initialising PostgreSQL cluster in $data"
    as_pg_user "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "PostgreSQL already running on port $port"
    return
  fi
  say "Starting PostgreSQL on 127.0.0.1:$port"
  as_pg_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 $extra" start >/dev/null \
    || { tail -n 20 "$data/server.log" >&2; fail "PostgreSQL did not start"; }
}

pg_stop() {
  local data=$1
  [ -f "$data/postmaster.pid" ] || return 0
  as_pg_user "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_recreate_db PORT NAME: an empty database with that name.
pg_recreate_db() {
  local port=$1 name=$2
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" >/dev/null
}

pg_ensure_db() {
  local port=$1 name=$2
  psql -qtA -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE \"$name\"" >/dev/null
}

build_release() {
  say "Building the portal (cargo leptos build --release)"
  (cd "$ROOT" && cargo leptos build --release --precompress)
}

# wait_for_http URL PID SECONDS
wait_for_http() {
  local url=$1 pid=$2 seconds=$3
  for _ in $(seq "$seconds"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || fail "the server exited during start-up"
    sleep 1
  done
  fail "the server did not answer $url within ${seconds}s"
}
