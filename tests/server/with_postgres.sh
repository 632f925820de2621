#!/usr/bin/env bash
# Runs a command against a PostgreSQL of its own (issue 19): initdb in a
# temporary folder, the server listening only on a Unix socket in that
# folder (listen_addresses='': no TCP port, no system service), stopped and
# removed on exit whatever the command's verdict. The command finds it in
# LOYALTY_TEST_POSTGRES, a libpq URI of the database "postgres" as the
# superuser "loyalty".
#   with_postgres.sh COMMAND [ARGS...]
set -euo pipefail
bindir=${LOYALTY_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "with_postgres.sh: no PostgreSQL server (initdb) under /usr/lib/postgresql/*/bin;" \
       "install the postgresql package (scripts/packages.d/server.txt)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/loyalty-pg.XXXXXX")
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root: the cluster belongs to nobody, who owns
  # the folder (root, running the tests, reaches the socket anyway).
  chown nobody "$dir"
  as_owner=(runuser -u nobody --)
fi
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
if ! "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U loyalty --auth=trust -E UTF8 \
       --no-locale >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
# fsync off: a test checks what is stored, not that it survives a power cut
# (the load test sets LOYALTY_PG_SETTINGS="-c fsync=on ..." instead).
settings=${LOYALTY_PG_SETTINGS:--c fsync=off}
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
       -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200 $settings" \
       start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
export LOYALTY_TEST_POSTGRES="postgresql:///postgres?host=$dir&user=loyalty"
status=0
"$@" || status=$?
if ((status != 0)); then
  echo "with_postgres.sh: the command failed ($status); the server's log:" >&2
  tail -n 40 "$dir/server.log" >&2 || true
fi
exit "$status"
