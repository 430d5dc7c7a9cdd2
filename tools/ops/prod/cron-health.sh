#!/usr/bin/env bash
# Healthcheck of the odoo-cron container: its scheduler works when no active scheduled job
# is more than 30 minutes late (the jobs run every few minutes to once a day).
set -euo pipefail
PGPASSWORD=$(cat "$PASSWORD_FILE")
export PGPASSWORD
late=$(psql -h "${HOST:-db}" -U "${USER:-odoo}" -d "${HY_DB:-hy_production}" -tAc \
  "SELECT count(*) FROM ir_cron
    WHERE active AND nextcall < (now() AT TIME ZONE 'UTC') - interval '30 minutes'")
[ "$late" = 0 ]
