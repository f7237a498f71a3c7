#!/usr/bin/env bash
# Start a real streaming replica of the PostgreSQL server on 127.0.0.1:5432, on port 5433, for the
# read-replica test. Prints the replica's base URL. Safe to run twice.
set -euo pipefail
PRIMARY="postgres://postgres@127.0.0.1:5432/postgres"
PORT="${REPLICA_PORT:-5433}"
DATA="${REPLICA_DIR:-/tmp/oa-evidence-replica}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The primary must accept replication connections from this machine.
HBA="$(psql "$PRIMARY" -tAc 'SHOW hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$HBA"
  psql "$PRIMARY" -qtAc 'SELECT pg_reload_conf()' >/dev/null
fi

if ! as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -rf "$DATA" && mkdir -p "$DATA" && chown postgres "$DATA" 2>/dev/null || true
  as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$DATA" -R -X stream >/dev/null
  # Debian keeps a cluster's configuration outside its data directory: give the copy its own.
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nhot_standby = on\n" \
    "$PORT" "$DATA" > "$DATA/postgresql.conf"
  printf "local all all trust\nhost all all 127.0.0.1/32 trust\n" > "$DATA/pg_hba.conf"
  chown postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf" 2>/dev/null || true
  chmod 700 "$DATA"
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w -t 30 start >/dev/null
fi
for _ in $(seq 50); do
  if psql "postgres://postgres@127.0.0.1:$PORT/postgres" -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null | grep -q t; then
    echo "postgres://postgres@127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.2
done
echo "the replica did not start; see $DATA/replica.log" >&2
exit 1
