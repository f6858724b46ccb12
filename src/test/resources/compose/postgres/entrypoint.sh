#!/bin/bash
# The official postgres image's first start, in short: a cluster owned by POSTGRES_USER with the password from
# POSTGRES_PASSWORD_FILE, the database POSTGRES_DB, connections from the network by password.
set -euo pipefail
PGDATA=/var/lib/postgresql/data
BIN=/usr/lib/postgresql/15/bin
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  pwfile="$(mktemp)" && cat "$POSTGRES_PASSWORD_FILE" > "$pwfile" && chown postgres "$pwfile"
  su postgres -c "$BIN/initdb -D $PGDATA -U $POSTGRES_USER --pwfile=$pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  su postgres -c "$BIN/pg_ctl -D $PGDATA -w -o '-c listen_addresses=' start" >/dev/null
  su postgres -c "$BIN/psql -U $POSTGRES_USER -d postgres -c 'CREATE DATABASE $POSTGRES_DB'" >/dev/null
  su postgres -c "$BIN/pg_ctl -D $PGDATA -w stop" >/dev/null
fi
exec su postgres -c "exec $BIN/postgres -D $PGDATA"
