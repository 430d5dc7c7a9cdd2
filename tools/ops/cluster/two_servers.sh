#!/usr/bin/env bash
# The production topology on one machine, without containers: nginx in front of two Odoo
# app servers (prefork) that share one filestore and session store, a cron-only Odoo, a
# PostgreSQL primary and a streaming replica that Odoo uses for read-only work
# (db_replica_host), then a load run through nginx (tools/perf/load/locustfile.py).
#
#   tools/ops/cluster/two_servers.sh [--app-servers N] [--users N] [--run-time T]
#                                [--source-db DB [--sessions F]] [--keep]
#
# --app-servers N Odoo app servers behind nginx (default 2; 1 = the single-machine
#                 production profile, measured the same way); HY_WORKERS sets the workers
#                 of each (default 2)
#
# --source-db DB  copy database DB (same name; its filestore and sessions from
#                 HY_SOURCE_DATA_DIR, default var/odoo) from the local PostgreSQL with
#                 tools/ops/backup.sh + tools/ops/restore.sh, instead of installing both modules
#                 with demo data and running tools/perf/load/prepare.py
# --sessions F    the session ids that tools/perf/load/prepare.py --sessions wrote for DB: the
#                 load users come back with them (otherwise they are made here first)
# --users N       locust users (default 212: 200 unit users, 10 officers, 2 leaders)
# --run-time T    length of the load run (default 5m30s; the figures start when every user
#                 is in, --reset-stats); --users 0 skips the load run; HY_SPAWN_RATE users
#                 arrive a second (default 10: all 212 within 21 s, a morning's arrival
#                 compressed; their first pages still queue when the figures start)
# --keep          leave everything running at the end (stop it by running the script's
#                 cleanup: tools/ops/cluster/two_servers.sh --stop)
#
# Both PostgreSQL clusters are scratch ones in HY_CLUSTER_DIR (default /tmp/hy-cluster), run
# by the postgres OS user with the binaries of HY_PG_BIN (default /usr/lib/postgresql/15/bin):
# the system cluster is left alone. Ports: nginx 8180, app servers 8181, 8183, ...
# (websocket 8182, 8184, ...), primary 5434, replica 5435 (HY_PORT_BASE=8180, HY_PG_PORT=5434 move them).
# The Odoo servers run the `odoo` script with config/odoo-prod.conf (the production
# profile's settings), nginx includes config/nginx/odoo-locations.conf. Everything is
# stopped and removed at the end; a summary and the logs are kept in var/log/cluster/.
# Needs root (runs PostgreSQL as postgres), nginx, and locust in HY_LOCUST_VENV (default
# /tmp/locust-venv, see tools/perf/load/requirements.txt).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=${HY_CLUSTER_DIR:-/tmp/hy-cluster}
PG_BIN=${HY_PG_BIN:-/usr/lib/postgresql/15/bin}
BASE=${HY_PORT_BASE:-8180}
PG_PORT=${HY_PG_PORT:-5434}
REPLICA_PORT=$((PG_PORT + 1))
NGINX_PORT=$BASE
APP_COUNT=2
WORKERS=${HY_WORKERS:-2}
VENV=${HY_LOCUST_VENV:-/tmp/locust-venv}
USERS=212
RUN_TIME=5m30s
SOURCE_DB=
SESSIONS=
KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --app-servers) APP_COUNT=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --run-time) RUN_TIME=$2; shift 2 ;;
    --source-db) SOURCE_DB=$2; shift 2 ;;
    --sessions) SESSIONS=$(realpath "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    --stop) STOP_ONLY=1; shift ;;
    *) sed -n '2,34s/^# \{0,1\}//p' "$0"; exit 2 ;;
  esac
done
case $APP_COUNT in [1-9]) ;; *) echo "--app-servers: 1 to 9" >&2; exit 2 ;; esac
# App server i listens on BASE + 2i - 1, its websocket (gevent) port on BASE + 2i.
APP_PORTS=() CHAT_PORTS=()
for i in $(seq "$APP_COUNT"); do
  APP_PORTS+=($((BASE + 2 * i - 1)))
  CHAT_PORTS+=($((BASE + 2 * i)))
done
# The copy keeps its name: the sessions of its users stay valid (a session names its database).
DB=${SOURCE_DB:-hy_cluster}
SOCK=$WORK/pg
PSQL_PRIMARY=(psql -X -h 127.0.0.1 -p "$PG_PORT" -U odoo -d "$DB" -tA)
PSQL_REPLICA=(psql -X -h 127.0.0.1 -p "$REPLICA_PORT" -U odoo -d "$DB" -tA)
LOG_DIR=$ROOT/var/log/cluster/$(date +%Y%m%d-%H%M%S)
as_postgres() { runuser -u postgres -- "$@"; }
say() { printf '\n== %s\n' "$*"; }

stop_all() {
  # Our own processes only, by their pid files; safe when some never started.
  [ -d "$WORK" ] || return 0
  for pidfile in "$WORK"/nginx.pid "$WORK"/app*.pid "$WORK"/cron.pid "$WORK"/sampler.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pidfile"
  done
  for cluster in replica primary; do
    if [ -f "$SOCK/$cluster/postmaster.pid" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$SOCK/$cluster" -m fast -w stop >/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
if [ "${STOP_ONLY:-0}" = 1 ]; then
  stop_all
  exit 0
fi
# shellcheck disable=SC2317  # run by the EXIT trap
finish() {
  status=$?
  mkdir -p "$LOG_DIR"
  cp "$WORK"/*.log "$SOCK"/*.log "$LOG_DIR"/ 2>/dev/null || true
  if [ "$KEEP" = 1 ] && [ "$status" = 0 ]; then
    echo "kept running: nginx on http://127.0.0.1:$NGINX_PORT; stop with $0 --stop"
  else
    stop_all
  fi
  echo "logs: $LOG_DIR"
  exit "$status"
}

stop_all  # what a previous, interrupted run left
trap finish EXIT
trap 'exit 143' TERM INT  # through finish: stop what was started
mkdir -p "$SOCK" "$WORK/data" "$WORK/nginx"
chown postgres "$SOCK"

say "PostgreSQL primary on port $PG_PORT"
as_postgres "$PG_BIN/initdb" -D "$SOCK/primary" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
cat >>"$SOCK/primary/postgresql.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = 200
shared_buffers = 256MB
jit = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
hot_standby_feedback = on
EOF
cat >"$SOCK/primary/pg_hba.conf" <<EOF
local all all trust
local replication all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
EOF
as_postgres "$PG_BIN/pg_ctl" -D "$SOCK/primary" -l "$SOCK/primary.log" -w start >/dev/null
# Odoo refuses to run as the "postgres" role; a scratch cluster can make odoo a superuser.
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE ROLE odoo LOGIN SUPERUSER"

say "Streaming replica on port $REPLICA_PORT (pg_basebackup)"
as_postgres "$PG_BIN/pg_basebackup" -h "$SOCK" -p "$PG_PORT" -U postgres \
  -D "$SOCK/replica" -R -X stream -c fast
echo "port = $REPLICA_PORT" | as_postgres tee -a "$SOCK/replica/postgresql.auto.conf" >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$SOCK/replica" -l "$SOCK/replica.log" -w start >/dev/null
psql -X -h 127.0.0.1 -p "$PG_PORT" -U odoo -d postgres -tAc \
  "SELECT 'primary sees replica: ' || application_name || ' ' || state FROM pg_stat_replication"
psql -X -h 127.0.0.1 -p "$REPLICA_PORT" -U odoo -d postgres -tAc \
  "SELECT 'replica in recovery (standby): ' || pg_is_in_recovery()"

ADDONS=$ROOT/addons,$(python3 "$ROOT/tools/odoo_env.py")
DB_ARGS=(--db_host=127.0.0.1 --db_port="$PG_PORT" --db_user=odoo
  --db_replica_host=127.0.0.1 --db_replica_port="$REPLICA_PORT")
if [ -n "$SOURCE_DB" ]; then
  say "Database $DB: a copy of $SOURCE_DB (tools/ops/backup.sh, tools/ops/restore.sh)"
  HY_DATA_DIR=${HY_SOURCE_DATA_DIR:-$ROOT/var/odoo} "$ROOT/tools/ops/backup.sh" -d "$SOURCE_DB" \
    -o "$WORK/backup"
  PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=odoo "$ROOT/tools/ops/restore.sh" -D "$WORK/data" \
    "$(find "$WORK/backup" -mindepth 1 -maxdepth 1 -type d -name "$SOURCE_DB-*")" "$DB"
  if [ -d "${HY_SOURCE_DATA_DIR:-$ROOT/var/odoo}/sessions" ]; then
    cp -a "${HY_SOURCE_DATA_DIR:-$ROOT/var/odoo}/sessions" "$WORK/data/"
  fi
else
  say "Database $DB: both modules with demo data"
  odoo -c "$ROOT/config/odoo-local.conf" --addons-path="$ADDONS" --data-dir="$WORK/data" \
    "${DB_ARGS[@]}" -d "$DB" -i hy_task_tracking,hy_task_reports --stop-after-init \
    --http-port="${APP_PORTS[0]}" --log-level=warn --logfile="$WORK/install.log"
fi

say "$APP_COUNT app server(s) ($WORKERS workers each) and a cron-only server"
# The production settings (config/odoo-prod.conf: proxy_mode, list_db off, limits, no cron
# on web servers), with this machine's paths and ports.
ODOO=(odoo -c "$ROOT/config/odoo-prod.conf" --addons-path="$ADDONS" --data-dir="$WORK/data"
  "${DB_ARGS[@]}" -d "$DB" --db-filter="^$DB\$" --log-level=info)
for i in $(seq 0 $((APP_COUNT - 1))); do
  "${ODOO[@]}" --workers="$WORKERS" --http-interface=127.0.0.1 --http-port="${APP_PORTS[$i]}" \
    --gevent-port="${CHAT_PORTS[$i]}" --logfile="$WORK/app$((i + 1)).log" \
    --pidfile="$WORK/app$((i + 1)).pid" &
done
"${ODOO[@]}" --workers=1 --no-http --max-cron-threads=1 --logfile="$WORK/cron.log" \
  --pidfile="$WORK/cron.pid" &
for port in "${APP_PORTS[@]}"; do
  for _ in $(seq 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/web/health" && break
    sleep 1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/web/health"
  # Each worker loads the registry on its first request: not in the measured run.
  warmup=()
  for _ in $(seq $((WORKERS * 3))); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/web/login" &
    warmup+=($!)
  done
  wait "${warmup[@]}"  # these only: the Odoo servers are background jobs too
  echo "app server on port $port: healthy, workers warmed up"
done

say "nginx on port $NGINX_PORT"
upstreams() {  # $1: the ports, $2: what follows each server line
  local port
  for port in $1; do printf '        server 127.0.0.1:%s%s;\n' "$port" "$2"; done
}
cat >"$WORK/nginx.conf" <<EOF
user root;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 2048; }
http {
    include /etc/nginx/mime.types;
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status '
                        'upstream=\$upstream_addr time=\$request_time';
    access_log $WORK/nginx-access.log upstream;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream odoo {
        # as in config/nginx/odoo.conf: no server leaves the pool for one dropped request
$(upstreams "${APP_PORTS[*]}" ' max_fails=0')
    }
    upstream odoochat {
$(upstreams "${CHAT_PORTS[*]}" '')
    }
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        # which app server answered: counted by the load run
        add_header X-Hy-Upstream \$upstream_addr always;
        include $ROOT/config/nginx/odoo-locations.conf;
    }
}
EOF
/usr/sbin/nginx -t -q -c "$WORK/nginx.conf" -p "$WORK/nginx"
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK/nginx"
URL=http://127.0.0.1:$NGINX_PORT

say "One session, every app server"
jar=$WORK/cookies
curl -fsS -c "$jar" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"db\":\"$DB\",\"login\":\"admin\",\"password\":\"admin\"}}" \
  "http://127.0.0.1:${APP_PORTS[0]}/web/session/authenticate"
for port in "${APP_PORTS[@]}"; do
  uid=$(curl -fsS -b "$jar" -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","method":"call","params":{}}' \
    "http://127.0.0.1:$port/web/session/get_session_info" | grep -o '"uid": [0-9]*' | head -1)
  echo "session opened on port ${APP_PORTS[0]}, asked on port $port: $uid"
  [ -n "$uid" ]
done

if [ "$USERS" = 0 ]; then
  exit 0
fi
if [ -z "$SESSIONS" ]; then
  SESSIONS=$WORK/sessions.json
  python3 "$ROOT/tools/perf/load/prepare.py" --url "$URL" --db "$DB" --sessions "$SESSIONS"
fi

stats() {  # one line per cluster: transactions, rows read, rows written in database $DB
  for side in primary replica; do
    if [ $side = primary ]; then cmd=("${PSQL_PRIMARY[@]}"); else cmd=("${PSQL_REPLICA[@]}"); fi
    "${cmd[@]}" -F' ' -c "SELECT '$side', xact_commit + xact_rollback, tup_returned + tup_fetched,
      tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = '$DB'"
  done
}
stats >"$WORK/stats-before.log"
# Every 5 s: the connections to the replica, by Odoo server (Odoo names them odoo-<pid> after
# the server process that loaded the database: the pid in each server's pid file).
(
  while true; do
    "${PSQL_REPLICA[@]}" -F' ' -c "SELECT to_char(now(), 'HH24:MI:SS'), application_name
      FROM pg_stat_activity WHERE datname = '$DB' AND application_name LIKE 'odoo-%'" \
      >>"$WORK/replica-backends.log" || true
    sleep 5
  done
) &
echo $! >"$WORK/sampler.pid"

say "Load run through nginx: $USERS users for $RUN_TIME"
load_status=0
HY_LOAD_SESSIONS=$SESSIONS "$VENV/bin/locust" -f "$ROOT/tools/perf/load/locustfile.py" \
  --headless --only-summary --hy-db "$DB" -H "$URL" --users "$USERS" --spawn-rate "${HY_SPAWN_RATE:-10}" \
  --run-time "$RUN_TIME" --reset-stats \
  2>"$WORK/locust.log" | tee "$WORK/locust-summary.log" || load_status=$?
kill "$(cat "$WORK/sampler.pid")" && rm "$WORK/sampler.pid"
stats >"$WORK/stats-after.log"

say "What served what"
{
  echo "nginx access log, requests per app server:"
  grep -o 'upstream=[^ ]*' "$WORK/nginx-access.log" | sort | uniq -c | sed 's/^/  /'
  for i in $(seq "$APP_COUNT"); do
    # Odoo logs each request with its cursor: ro = the replica, rw = the primary,
    # ro->rw = tried on the replica, retried on the primary because it wrote.
    echo "app server $i (port ${APP_PORTS[$((i - 1))]}), requests by database cursor:"
    grep ' werkzeug: ' "$WORK/app$i.log" | awk '{print $NF}' | sort | uniq -c | sed 's/^/  /'
  done
  echo "PostgreSQL, database $DB during the run (transactions, rows read, rows written):"
  join <(sort "$WORK/stats-before.log") <(sort "$WORK/stats-after.log") |
    awk '{printf "  %-8s %8d transactions %12d rows read %8d rows written\n", $1, $5-$2, $6-$3, $7-$4}'
  echo "connections to the replica (pg_stat_activity there, sampled every 5 s):"
  for name in $(seq -f app%g "$APP_COUNT") cron; do
    awk -v app="odoo-$(cat "$WORK/$name.pid")" -v name="$name" '
      $2 == app { n[$1]++ }
      END { max = 0; for (t in n) if (n[t] > max) max = n[t]
            printf "  %-4s in %d samples, up to %d connections at once\n", name, length(n), max }
    ' "$WORK/replica-backends.log"
  done
  # A read-only request that writes after all (e.g. printing a report logs the classified
  # directives it counts) is refused by the replica, logged by Odoo at ERROR ("bad query")
  # with a WARNING, and run again on the primary: counted apart from real errors.
  retried=$(cat "$WORK"/app*.log | grep -c 'retrying with a read/write cursor' || true)
  refused=$(cat "$WORK"/app*.log | grep -c '^ERROR: .* in a read-only transaction' || true)
  # Two officers deciding the same request at once: PostgreSQL lets one through, Odoo logs
  # the other's UPDATE at ERROR ("bad query") and runs the request again (SERIALIZATION_FAILURE).
  conflicts=$(cat "$WORK"/app*.log | grep -c '^ERROR: could not serialize access' || true)
  errors=$(cat "$WORK"/app*.log "$WORK/cron.log" | grep -c ' ERROR \| CRITICAL ' || true)
  echo "read-only requests retried on the primary (ro->rw): $retried"
  echo "serialization conflicts retried by Odoo: $conflicts"
  echo "Odoo log lines at ERROR or above, other than those retries: $((errors - refused - conflicts))"
  echo "replica unavailable, fell back to the primary:"
  echo "  $(cat "$WORK"/app*.log | grep -c 'Failed to open a readonly cursor' || true)"
} 2>&1 | tee "$WORK/served.log" || true
exit "$load_status"
