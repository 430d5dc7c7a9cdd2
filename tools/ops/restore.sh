#!/usr/bin/env bash
# Restore a backup of tools/ops/backup.sh into a NEW database, with its filestore.
#   tools/ops/restore.sh [-D DATA_DIR] [-j JOBS] BACKUP NEW_DB
# BACKUP is a directory written by tools/ops/backup.sh. NEW_DB must not exist, nor its
# filestore: a restore never overwrites anything. The checksums are verified first.
# On any error the half-restored database and filestore are removed again.
# Defaults (environment): HY_DATA_DIR=var/odoo. PostgreSQL: PGHOST, PGPORT, PGUSER...,
# PGPASSWORD or PGPASSWORD_FILE. HY_FILESTORE_OWNER (e.g. 101:101, the odoo user of the
# odoo image): who gets the restored files, when the restore runs as another user.
# Serving the copy next to the original: neutralize it first (no mails, no crons):
#   odoo neutralize -d NEW_DB   (with the same --addons-path as the server)
set -euo pipefail
cd "$(dirname "$0")/../.."  # the checkout: var/ below

DATA_DIR=${HY_DATA_DIR:-var/odoo}
JOBS=2
while getopts "D:j:h" opt; do
  case $opt in
    D) DATA_DIR=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    *) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -ne 2 ]; then
  sed -n '2,12s/^# \{0,1\}//p' "$0"
  exit 2
fi
BACKUP=$1
DB=$2
filestore="$DATA_DIR/filestore/$DB"
if [ -n "${PGPASSWORD_FILE:-}" ] && [ -z "${PGPASSWORD:-}" ]; then
  PGPASSWORD=$(cat "$PGPASSWORD_FILE")  # a Docker secret
  export PGPASSWORD
fi

(cd "$BACKUP" && sha256sum --quiet -c SHA256SUMS) || {
  echo "restore: $BACKUP fails its checksums: not restoring it" >&2
  exit 1
}
if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  echo "restore: database $DB exists already; choose a new name" >&2
  exit 1
fi
if [ -e "$filestore" ]; then
  echo "restore: $filestore exists already; choose a new name" >&2
  exit 1
fi

cleanup() {
  echo "restore: failed, removing database $DB and $filestore" >&2
  dropdb --if-exists "$DB" || true
  rm -rf "$filestore"
}
trap cleanup ERR
createdb "$DB"
# --no-owner: the restoring role owns everything, as Odoo expects of its database user.
pg_restore --no-owner --no-acl --exit-on-error --jobs="$JOBS" -d "$DB" "$BACKUP/db.dump"
mkdir -p "$filestore"
tar -C "$filestore" -xzf "$BACKUP/filestore.tar.gz"
if [ -n "${HY_FILESTORE_OWNER:-}" ]; then
  chown -R "$HY_FILESTORE_OWNER" "$filestore"
fi
trap - ERR
echo "restore: $BACKUP -> database $DB, filestore $filestore"
