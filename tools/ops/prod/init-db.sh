#!/usr/bin/env bash
# One-shot odoo-init service of docker-compose.prod.yml: installs both modules, without demo
# data, into the production database unless they are installed already; on that first
# install, the admin user gets its password from the odoo_admin_password secret (Odoo would
# otherwise leave "admin"). Upgrades are a deliberate step: docs/operations.md, "Upgrade".
set -euo pipefail
db=${HY_DB:-hy_production}
export PGHOST=${HOST:-db} PGUSER=${USER:-odoo}
PGPASSWORD=$(cat "$PASSWORD_FILE")
export PGPASSWORD
installed=$(psql -d "$db" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
  AND name IN ('hy_task_tracking', 'hy_task_reports')" 2>/dev/null || echo 0)
if [ "$installed" = 2 ]; then
  echo "init: $db has both modules installed"
  exit 0
fi
echo "init: installing hy_task_tracking and hy_task_reports into $db (no demo data)"
/opt/hy/odoo-entrypoint.sh odoo -d "$db" -i hy_task_tracking,hy_task_reports \
  --without-demo=all --load-language=vi_VN --stop-after-init --no-http
# The secret is read by Odoo's shell itself: it never appears in a command line.
printf '%s\n' \
  "env.ref('base.user_admin').password = open('$HY_ADMIN_PASSWORD_FILE').read().strip()" \
  "env.cr.commit()" |
  /opt/hy/odoo-entrypoint.sh odoo shell -d "$db" --no-http
echo "init: done; log in as admin with the password of the odoo_admin_password secret"
