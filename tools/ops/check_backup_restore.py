#!/usr/bin/env python3
"""Backup/restore check: back up a database, restore it under another name, compare both.

Usage: python3 tools/ops/check_backup_restore.py [--db hy_demo] [--data-dir var/odoo] [--keep]

1. tools/ops/backup.sh writes a backup of --db (dump + filestore) into a scratch directory, as of
   a snapshot that this script holds open: the comparison is exact even while users work;
2. tools/ops/restore.sh loads it into a new database <db>_restored_<pid>, with its filestore;
3. for tasks, ledger entries, mail messages, attachments and classified access-log rows,
   compares the row count and a checksum of every row (all columns, in id order) of both
   databases, and the SHA-1 of every stored file of the restored filestore with the
   attachment's own checksum and with the original file;
4. drops the restored database and its filestore (unless --keep), prints the table and
   "backup/restore: ok" or what differs. Exit status 0 when everything is equal.
PostgreSQL is reached like psql (local socket, or PGHOST/PGPORT/PGUSER...).
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
# table -> what it holds; the access log is the table of model hy.classified.access.log
TABLES = {
    "hy_task": "tasks",
    "hy_task_ledger": "ledger entries",
    "mail_message": "mail messages",
    "ir_attachment": "attachments",
    "hy_classified_access_log": "access-log rows",
}


def table_digest(cr, table):
    # Every column of every row, as PostgreSQL prints it, in a fixed order: equal digests
    # mean equal contents, not just equal counts.
    cr.execute(
        f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), ''))"
        f" FROM {table} t"
    )
    return cr.fetchone()


def stored_files(cr):
    cr.execute(
        "SELECT id, store_fname, checksum FROM ir_attachment"
        " WHERE store_fname IS NOT NULL ORDER BY id"
    )
    return cr.fetchall()


def sha1(path):
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def compare_files(source_cr, data_dir, source_db, restored_db):
    """(files, files identical, first problems) over the attachments of the source."""
    problems = []
    rows = stored_files(source_cr)
    for att_id, fname, checksum in rows:
        original = Path(data_dir, "filestore", source_db, fname)
        restored = Path(data_dir, "filestore", restored_db, fname)
        if not restored.is_file():
            problems.append(f"attachment {att_id}: {fname} missing from the restored filestore")
            continue
        restored_sha = sha1(restored)
        if restored_sha != checksum:
            problems.append(f"attachment {att_id}: restored file does not match its checksum")
        elif original.is_file() and sha1(original) != restored_sha:
            problems.append(f"attachment {att_id}: restored file differs from the original")
    return len(rows), len(rows) - len(problems), problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("HY_DEMO_DB", "hy_demo"))
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "odoo"))
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args()
    restored_db = f"{args.db}_restored_{os.getpid()}"
    backup_dir = Path(tempfile.mkdtemp(prefix="hy-backup-check-"))
    ok = True
    # The source is read in the snapshot that pg_dump dumps: a live database compares too.
    source = psycopg2.connect(dbname=args.db)
    source.set_session(isolation_level="REPEATABLE READ", readonly=True)
    src_cr = source.cursor()
    src_cr.execute("SELECT pg_export_snapshot()")
    env = dict(os.environ, HY_BACKUP_SNAPSHOT=src_cr.fetchone()[0])
    try:
        backup_cmd = [ROOT / "tools/ops/backup.sh", "-d", args.db, "-D", args.data_dir]
        subprocess.run([*backup_cmd, "-o", backup_dir], check=True, env=env)
        (backup,) = [p for p in backup_dir.iterdir() if p.is_dir()]
        subprocess.run(
            [ROOT / "tools/ops/restore.sh", "-D", args.data_dir, backup, restored_db], check=True
        )
        with psycopg2.connect(dbname=restored_db) as restored:
            dst_cr = restored.cursor()
            print(f"\n{'what':<18} {'table':<26} {args.db:>24} {restored_db:>24}  equal")
            for table, label in TABLES.items():
                n_src, md5_src = table_digest(src_cr, table)
                n_dst, md5_dst = table_digest(dst_cr, table)
                equal = (n_src, md5_src) == (n_dst, md5_dst)
                ok &= equal
                print(
                    f"{label:<18} {table:<26} {f'{n_src} rows {md5_src[:8]}':>24} "
                    f"{f'{n_dst} rows {md5_dst[:8]}':>24}  {'yes' if equal else 'NO'}"
                )
            files, same, problems = compare_files(src_cr, args.data_dir, args.db, restored_db)
            ok &= not problems
            print(
                f"{'attachment files':<18} {'filestore (SHA-1)':<26} {f'{files} files':>24} "
                f"{f'{same} identical':>24}  {'yes' if not problems else 'NO'}"
            )
            for problem in problems[:20]:
                print(f"  {problem}")
        restored.close()
    finally:
        source.close()
        shutil.rmtree(backup_dir, ignore_errors=True)
        if args.keep:
            print(f"kept database {restored_db}")
        else:
            subprocess.run(["dropdb", "--if-exists", restored_db], check=False)
            shutil.rmtree(Path(args.data_dir, "filestore", restored_db), ignore_errors=True)
    print("backup/restore: " + ("ok" if ok else "DIFFERENT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
