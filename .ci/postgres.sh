#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests: installs Debian's postgresql if missing, starts a cluster
# as the postgres user on 127.0.0.1, creates the test database, and prints the DSN as an export line.
# The DSN is also written to $MARSAD_PG_DSN_FILE (default /tmp/marsad-pg.dsn), which the tests read.
#   eval "$(bash .ci/postgres.sh)"   # sets MARSAD_TEST_PG
set -euo pipefail

DATA=${MARSAD_PG_DATA:-/tmp/marsad-pg}
PORT=${MARSAD_PG_PORT:-54329}
DB=${MARSAD_PG_DB:-marsad_test}
DSN_FILE=${MARSAD_PG_DSN_FILE:-/tmp/marsad-pg.dsn}

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ]; then
    echo "postgres.sh: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN=$(bindir)
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres

as_pg() {
    if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; fi
}

if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    chown postgres: "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off" start >/dev/null
fi
if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres -E UTF8 -T template0 "$DB"
fi

DSN="postgresql://postgres@127.0.0.1:$PORT/$DB"
printf '%s\n' "$DSN" > "$DSN_FILE"
chmod 644 "$DSN_FILE"
echo "export MARSAD_TEST_PG=$DSN"
