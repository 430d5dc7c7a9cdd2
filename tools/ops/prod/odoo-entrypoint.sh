#!/usr/bin/env bash
# Entrypoint of the Odoo containers of docker-compose.prod.yml, before the official image's
# own /entrypoint.sh (which adds the database connection and waits for PostgreSQL):
# - the master password (admin_passwd) comes from a secret file, never from the repository:
#   it is appended to a private copy of config/odoo-prod.conf;
# - the number of HTTP workers follows the container's CPUs: (CPUs x 2) + 1, as Odoo's
#   deployment guide says, unless HY_WORKERS says otherwise (several containers per host).
set -euo pipefail
template=/etc/odoo/odoo-prod.conf
conf=$(mktemp /tmp/odoo-XXXXXX.conf)
cp "$template" "$conf"
if [ -n "${HY_ADMIN_PASSWD_FILE:-}" ]; then
  printf 'admin_passwd = %s\n' "$(cat "$HY_ADMIN_PASSWD_FILE")" >> "$conf"
fi
chmod 600 "$conf"
export ODOO_RC=$conf
workers=${HY_WORKERS:-$(($(nproc) * 2 + 1))}
# Only the server takes --workers: not "odoo shell", "odoo neutralize"...
if [ "${1:-}" = odoo ] && [[ ${2:--} == -* ]]; then
  shift
  exec /entrypoint.sh odoo --workers="$workers" "$@"
fi
exec /entrypoint.sh "$@"
