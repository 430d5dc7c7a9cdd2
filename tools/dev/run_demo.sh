#!/usr/bin/env bash
# Serve the demo database on http://localhost:8069 (login admin, password admin).
# First installs hy_task_tracking and hy_task_reports with demo data into it,
# unless both are installed already (a new database is created by Odoo).
#   tools/dev/run_demo.sh              what `make demo` runs
#   tools/dev/run_demo.sh --init-only  only make sure the database is ready (Docker's odoo-init)
# Environment: ODOO_PYTHON (default python3), HY_ODOO_CONF (default
# config/odoo-local.conf), HY_DEMO_DB (default hy_demo), HY_HTTP_PORT (default 8069).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${ODOO_PYTHON:-python3}
CONF=${HY_ODOO_CONF:-config/odoo-local.conf}
DB=${HY_DEMO_DB:-hy_demo}
MODULES=hy_task_tracking,hy_task_reports

ARGS=(-c "$CONF")
if [ "$CONF" = config/odoo-local.conf ]; then
  # Odoo's own addons: odoo/addons, plus <checkout>/addons for a source install.
  odoo_addons=$("$PY" tools/odoo_env.py) || {
    echo "Odoo 18 cannot be imported by $PY: install it as README.md says." >&2
    exit 2
  }
  ARGS+=(--addons-path="$PWD/addons,$odoo_addons" --data-dir="$PWD/var/odoo")
fi

if command -v pg_ctlcluster >/dev/null && ! pg_isready -q; then  # local PostgreSQL is down
  pg_lsclusters -h | while read -r version cluster _; do
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  done
fi
installed=$(psql -d "$DB" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
  AND name IN ('hy_task_tracking', 'hy_task_reports')" 2>/dev/null || echo 0)
if [ "$installed" != 2 ]; then
  echo "Installing $MODULES with demo data into database $DB"
  "$PY" -m odoo "${ARGS[@]}" -d "$DB" -i "$MODULES" --load-language=vi_VN --stop-after-init
fi
if [ "${1:-}" = --init-only ]; then
  exit 0
fi
echo "Serving $DB on http://localhost:${HY_HTTP_PORT:-8069} (admin / admin)"
exec "$PY" -m odoo "${ARGS[@]}" -d "$DB" --http-port="${HY_HTTP_PORT:-8069}"
