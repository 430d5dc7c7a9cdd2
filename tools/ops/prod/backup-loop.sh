#!/usr/bin/env bash
# backup service of docker-compose.prod.yml (official postgres image: pg_dump of the same
# major version as the server): one backup at the first start, then one a day at
# HY_BACKUP_AT (HH:MM, the container's time zone, UTC by default), each by tools/ops/backup.sh
# with its retention (HY_BACKUP_KEEP). A failed backup is logged and retried an hour later;
# the healthcheck turns unhealthy when the last good one is older than 26 hours.
set -euo pipefail
at=${HY_BACKUP_AT:-01:30}
backup() { /opt/hy-tools/backup.sh || { echo "backup: FAILED" >&2; return 1; }; }
if [ ! -f "$HY_BACKUP_DIR/last-success" ]; then
  backup || true
fi
while true; do
  now=$(date +%s)
  next=$(date -d "$at" +%s)
  if [ "$next" -le "$now" ]; then
    next=$(date -d "tomorrow $at" +%s)
  fi
  sleep $((next - now))
  until backup; do
    sleep 3600
  done
done
