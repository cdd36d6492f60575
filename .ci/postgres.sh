# Sourced by .ci/run: starts a throwaway PostgreSQL server for the store tests, exports
# PURSER_TEST_POSTGRES_URL, and stops the server when the calling shell exits.
#
# It uses the server already on the machine, else installs Debian's `postgresql` package.
# The cluster lives in a temporary folder owned by the `postgres` user (the server refuses
# to run as root), listens on 127.0.0.1 only, on a free port, with a random password.
# Best effort, like the Checkov step: when it cannot start, the caller prints a note and the
# PostgreSQL tests skip, saying why.

_pg_bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null 2>&1; then
    found=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
  fi
  [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ] && echo "$found"
}

_pg_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  apt-get update -qq >/dev/null 2>&1 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1
}

# Run a command as the unprivileged user that owns the cluster, from the cluster's folder
# (that user may not be allowed into the current one).
_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd "$_PG_DIR" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

_pg_stop() {
  [ -n "${_PG_DIR:-}" ] || return 0
  _pg_as_owner "$_PG_BIN/pg_ctl" -D "$_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$_PG_DIR"
}

start_test_postgres() {
  _PG_BIN=$(_pg_bindir) || { _pg_install && _PG_BIN=$(_pg_bindir); } || return 1
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres || return 1
  fi
  local port password
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
      || return 1
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))') || return 1
  _PG_DIR=$(mktemp -d) || return 1
  trap _pg_stop EXIT
  (umask 077 && printf '%s\n' "$password" > "$_PG_DIR/pwfile")
  [ "$(id -u)" = 0 ] && chown -R postgres "$_PG_DIR"
  _pg_as_owner "$_PG_BIN/initdb" -D "$_PG_DIR/data" -U postgres --pwfile="$_PG_DIR/pwfile" \
      -A scram-sha-256 -E UTF8 --locale=C --no-sync >"$_PG_DIR/initdb.log" 2>&1 || return 1
  _pg_as_owner "$_PG_BIN/pg_ctl" -D "$_PG_DIR/data" -l "$_PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $_PG_DIR -c fsync=off" start \
      >/dev/null || return 1
  PGPASSWORD=$password "$_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres purser_test \
      || return 1
  PURSER_TEST_POSTGRES_URL="postgresql+psycopg://postgres:$password@127.0.0.1:$port/purser_test"
  export PURSER_TEST_POSTGRES_URL
}
