#!/usr/bin/env bash
# First start of the db service (the official postgres image runs the scripts of
# /docker-entrypoint-initdb.d once, on an empty data directory): the role the replica
# streams with, its password from the postgres_replication_password secret, and the
# pg_hba.conf line that lets it connect for replication (the image only allows "all"
# databases, which does not include replication connections).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
  -v password="$(cat /run/secrets/postgres_replication_password)" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
