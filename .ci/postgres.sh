#!/usr/bin/env bash
# A throwaway PostgreSQL server for scangate's tests (issue 12: the SQL a query plan renders is
# tested on a real server). `.ci/run` sources this file and calls `pg_start` / `pg_stop`;
# developers run it directly:
#
#   eval "$(.ci/postgres.sh start)"   # start (or reuse) the server, export SCANGATE_PG_URL
#   cargo test                        # the PostgreSQL tests now run instead of skipping
#   .ci/postgres.sh env               # print the export line again (another shell)
#   .ci/postgres.sh stop              # stop it and delete its folder
#
# The cluster lives in a fresh temporary folder owned by a non-root user (PostgreSQL refuses
# to run as root): the current user, or when run as root the `postgres` system user, or a
# dedicated `scangate-pg` user created for it. It trusts local and loopback connections,
# listens on 127.0.0.1 only, on the first free port from 54329, with durability turned off
# (a test server: speed matters, its data is thrown away). PostgreSQL is installed with apt
# where no server binaries are found; PG_BINDIR overrides where they are looked for.

# The state of the server this shell started (pg_start sets them, pg_stop reads them).
PG_DIR=""
PG_PORT=""
PG_OS_USER=""
PG_BIN=""
# The database superuser and the database the tests use.
PG_DB_USER="scangate"
PG_DB_NAME="scangate"

pg_log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Runs a command as root: directly when root, else through sudo.
pg_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the cluster's owner.
pg_as_owner() {
  if [ "$(id -un)" = "$PG_OS_USER" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    sudo -u "$PG_OS_USER" -- "$@"
  fi
}

# The newest /usr/lib/postgresql/<major>/bin holding initdb, or nothing.
pg_debian_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then printf '%s\n' "$d"; fi
  done | sort -V | tail -n 1
}

# Finds the server binaries (initdb, pg_ctl, pg_isready, createdb), installing PostgreSQL with
# apt when there are none.
pg_find_bin() {
  local dir
  if [ -n "${PG_BINDIR:-}" ]; then
    PG_BIN="$PG_BINDIR"
    return 0
  fi
  # Debian/Ubuntu keep them off PATH, one folder per major version: take the newest.
  dir=$(pg_debian_bin)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
      PG_BIN=$(dirname "$(command -v initdb)")
      return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
      pg_log "no PostgreSQL server binaries and no apt-get: install PostgreSQL or set PG_BINDIR"
      return 1
    fi
    pg_log "installing PostgreSQL with apt-get"
    pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    dir=$(pg_debian_bin)
  fi
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    pg_log "PostgreSQL installed but no initdb under /usr/lib/postgresql/*/bin"
    return 1
  fi
  PG_BIN="$dir"
}

# Picks the non-root user who owns and runs the cluster.
pg_pick_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    PG_OS_USER=$(id -un)
  elif id postgres >/dev/null 2>&1; then
    PG_OS_USER=postgres
  else
    if ! id scangate-pg >/dev/null 2>&1; then
      pg_log "creating the system user scangate-pg to run PostgreSQL"
      useradd --system --no-create-home --shell /usr/sbin/nologin scangate-pg
    fi
    PG_OS_USER=scangate-pg
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Creates, starts and fills the cluster; sets PG_DIR, PG_PORT, PG_OS_USER and exports
# SCANGATE_PG_URL. On failure returns nonzero; pg_stop then cleans up what was made.
pg_start() {
  local port started=""
  pg_find_bin || return 1
  pg_pick_owner || return 1
  if [ "$(id -u)" -eq 0 ]; then
    # The owner must reach the folder: root's TMPDIR may sit under a private home.
    PG_DIR=$(mktemp -d /tmp/scangate-pg.XXXXXX) || return 1
    chown "$PG_OS_USER" "$PG_DIR" || return 1
  else
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/scangate-pg.XXXXXX") || return 1
  fi
  pg_as_owner "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username="$PG_DB_USER" \
    --auth-local=trust --auth-host=trust --encoding=UTF8 --no-locale \
    >"$PG_DIR/initdb.log" 2>&1 || {
    pg_log "initdb failed:"
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF
# scangate test server (.ci/postgres.sh): loopback only, the socket in its own folder, no
# durability (its data is thrown away).
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  # Another server (another CI run, a developer's) may hold a port, or take it between the
  # check and the start: try the next one then.
  for port in $(seq 54329 54428); do
    pg_port_busy "$port" && continue
    if pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --log="$PG_DIR/server.log" \
      --options="-p $port" --wait --timeout=60 start >/dev/null 2>&1; then
      started=$port
      break
    fi
    pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" status >/dev/null 2>&1 && break
  done
  if [ -z "$started" ]; then
    pg_log "the server did not start; its log:"
    tail -n 30 "$PG_DIR/server.log" >&2 2>/dev/null
    return 1
  fi
  PG_PORT=$started
  local tries=0
  until "$PG_BIN/pg_isready" --quiet --host=127.0.0.1 --port="$PG_PORT" --dbname=postgres; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      pg_log "the server on port $PG_PORT does not accept connections"
      return 1
    fi
    sleep 0.5
  done
  "$PG_BIN/createdb" --host=127.0.0.1 --port="$PG_PORT" --username="$PG_DB_USER" \
    "$PG_DB_NAME" || return 1
  export SCANGATE_PG_URL="host=127.0.0.1 port=$PG_PORT user=$PG_DB_USER dbname=$PG_DB_NAME"
  pg_log "PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_DIR, run by $PG_OS_USER)"
}

# Stops the server and deletes its folder; safe to call at any point, and twice.
pg_stop() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    if [ -f "$PG_DIR/data/postmaster.pid" ] && [ -n "$PG_BIN" ]; then
      pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --mode=fast --wait --timeout=30 \
        stop >/dev/null 2>&1 ||
        pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --mode=immediate stop \
          >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
  PG_PORT=""
}

# Where the command-line form remembers the server it started, between invocations.
pg_state_file() {
  printf '%s\n' "${SCANGATE_PG_STATE:-${TMPDIR:-/tmp}/scangate-pg-$(id -u).state}"
}

pg_load_state() {
  local file
  file=$(pg_state_file)
  [ -f "$file" ] || return 1
  # shellcheck disable=SC1090
  . "$file"
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]
}

pg_print_env() {
  printf "export SCANGATE_PG_URL='host=127.0.0.1 port=%s user=%s dbname=%s'\n" \
    "$PG_PORT" "$PG_DB_USER" "$PG_DB_NAME"
}

pg_main() {
  local file
  file=$(pg_state_file)
  case "${1:-}" in
    start)
      if pg_load_state && pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" status \
        >/dev/null 2>&1; then
        pg_log "already running on 127.0.0.1:$PG_PORT ($PG_DIR)"
        pg_print_env
        return 0
      fi
      PG_DIR="" # a stale state file: start afresh
      if ! pg_start; then
        pg_stop
        return 1
      fi
      printf 'PG_DIR=%q\nPG_PORT=%q\nPG_OS_USER=%q\nPG_BIN=%q\n' \
        "$PG_DIR" "$PG_PORT" "$PG_OS_USER" "$PG_BIN" >"$file"
      pg_print_env
      ;;
    stop)
      if pg_load_state; then
        pg_stop
        pg_log "stopped"
      else
        pg_log "no server started by this script (state: $file)"
      fi
      rm -f "$file"
      ;;
    env)
      if pg_load_state; then
        pg_print_env
      else
        pg_log "not running; start it with: eval \"\$(.ci/postgres.sh start)\""
        return 1
      fi
      ;;
    *)
      pg_log "usage: .ci/postgres.sh start|stop|env"
      return 2
      ;;
  esac
}

# Run as a command, not sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  pg_main "$@"
fi
