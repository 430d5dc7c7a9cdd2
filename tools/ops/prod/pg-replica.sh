#!/usr/bin/env bash
# db-replica service of docker-compose.prod.yml (official postgres image, run as postgres):
# on the first start, copies the primary with pg_basebackup (-R: standby.signal and the
# primary_conninfo to stream from it), then runs PostgreSQL through the image's entrypoint,
# which finds the data directory ready and only starts the server (a hot standby).
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h db -d postgres; do
    echo "replica: waiting for the primary"
    sleep 2
  done
  PGPASSWORD=$(cat /run/secrets/postgres_replication_password)
  export PGPASSWORD
  # A slot keeps on the primary the WAL that the replica has not received yet.
  pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream -C -S hy_replica -P
  chmod 700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c config_file=/etc/postgresql/postgresql.conf
