#!/usr/bin/env bash
# Back up one Odoo database and its filestore, then keep only the newest backups.
#   tools/ops/backup.sh [-d DB] [-D DATA_DIR] [-o BACKUP_DIR] [-k KEEP]
# Writes BACKUP_DIR/DB-YYYYmmdd-HHMMSS/ with
#   db.dump          pg_dump --format=custom (compressed; pg_restore reads it, in parallel)
#   filestore.tar.gz the files of DATA_DIR/filestore/DB
#   SHA256SUMS       checked by tools/ops/restore.sh before it restores anything
# A backup is written under a .partial name and renamed when complete, so an interrupted
# run never counts as a backup and never pushes a good one out of the retention.
# Defaults (environment): HY_DB=hy_demo, HY_DATA_DIR=var/odoo, HY_BACKUP_DIR=var/backups,
# HY_BACKUP_KEEP=14. PostgreSQL is reached with the usual PGHOST, PGPORT, PGUSER,
# PGPASSWORD or PGPASSWORD_FILE (the production profile's backup service runs this script).
# HY_BACKUP_SNAPSHOT: dump as of an exported snapshot (tools/ops/check_backup_restore.py).
set -euo pipefail
cd "$(dirname "$0")/../.."  # the checkout: var/ below

DB=${HY_DB:-hy_demo}
DATA_DIR=${HY_DATA_DIR:-var/odoo}
BACKUP_DIR=${HY_BACKUP_DIR:-var/backups}
KEEP=${HY_BACKUP_KEEP:-14}
while getopts "d:D:o:k:h" opt; do
  case $opt in
    d) DB=$OPTARG ;;
    D) DATA_DIR=$OPTARG ;;
    o) BACKUP_DIR=$OPTARG ;;
    k) KEEP=$OPTARG ;;
    *) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 2 ;;
  esac
done
if ! [[ $KEEP =~ ^[1-9][0-9]*$ ]]; then
  echo "backup: KEEP must be a positive number, not '$KEEP'" >&2
  exit 2
fi

if [ -n "${PGPASSWORD_FILE:-}" ] && [ -z "${PGPASSWORD:-}" ]; then
  PGPASSWORD=$(cat "$PGPASSWORD_FILE")  # a Docker secret
  export PGPASSWORD
fi

mkdir -p "$BACKUP_DIR"
name="$DB-$(date -u +%Y%m%d-%H%M%S)"
partial="$BACKUP_DIR/.$name.partial"
trap 'rm -rf "$partial"' EXIT
mkdir "$partial"

# The dump first, then the files: Odoo only ever adds files to the filestore (its garbage
# collector removes unreferenced ones later), so every file the dump refers to is in the tar.
pg_dump --format=custom --no-owner ${HY_BACKUP_SNAPSHOT:+--snapshot="$HY_BACKUP_SNAPSHOT"} \
  --file="$partial/db.dump" "$DB"
filestore="$DATA_DIR/filestore/$DB"
if [ -d "$filestore" ]; then
  tar -C "$filestore" -czf "$partial/filestore.tar.gz" .
else
  echo "backup: no filestore at $filestore (a database without files?)" >&2
  tar -czf "$partial/filestore.tar.gz" --files-from=/dev/null
fi
(cd "$partial" && sha256sum db.dump filestore.tar.gz > SHA256SUMS)
mv "$partial" "$BACKUP_DIR/$name"
trap - EXIT

# Retention: the newest KEEP complete backups of this database (names sort by date).
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name "$DB-[0-9]*-[0-9]*" -printf '%f\n' \
  | sort -r | tail -n +"$((KEEP + 1))" | while read -r old; do
  rm -rf "${BACKUP_DIR:?}/$old"
  echo "backup: removed $old (keeping $KEEP)"
done
date -u +%s > "$BACKUP_DIR/last-success"
echo "backup: $BACKUP_DIR/$name ($(du -sh "$BACKUP_DIR/$name" | cut -f1))"
