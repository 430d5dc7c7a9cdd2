#!/usr/bin/env python3
"""Benchmark of the periodic reports (hy_task_reports) on a scratch database.

Usage: python3 tools/perf/bench_reports.py [--tasks 50000] [--units 100] [--keep]

1. creates a scratch database and installs hy_task_reports without demo data;
2. seeds N units and T tasks (SQL inserts: the ORM would take minutes and this measures the
   reports, not the seeding), spread over 2025-2026, every status category, some tasks of
   classified directives, some transferred, and the task ledger that such a history writes
   (about 5.4 entries per task: recorded, accepted, progress, done, confirmed...);
3. prints, for an annual period over all units:
   - the time of computing the period from the ledger as of its last day (entries + grouped
     count + lines: what the button does), and its number of queries,
   - the same for the 6-month period (a past period: the ledger is read as of 30 June),
   - the time of an equivalent raw SQL GROUP BY over hy_task (the counts only, no snapshot),
   - the time of the XLSX export, and of the PDF (WeasyPrint, in this process: no server),
     of this period and of one of 10 units,
   - the time and the queries of the nightly status job (tasks that became overdue, with
     their ledger entries, set-based);
   and ends with one line, "summary: ...", its key figures (tools/dev/run_tests.py shows it);
4. drops the database (unless --keep).

Environment: ODOO_PYTHON (interpreter that imports Odoo 18, default: this one).
"""

import argparse
import io
import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TOOLS), str(TOOLS / "perf")]  # odoo_env, then the other benches

from bench_common import bench_arguments
from odoo_env import (
    DATA_DIR,
    odoo_addons_path,
    scratch_database,
)

SEED_SQL = """
INSERT INTO hy_task (directive_id, reference, authority, security_level, is_classified, name,
                     kind, lead_unit_id, deadline, original_deadline, has_deadline,
                     deadline_rule, deadline_from, date_assigned, date_received,
                     date_done, state, quality, confirmed, confirmed_date,
                     progress, active, sequence_in_directive, create_uid, write_uid,
                     create_date, write_date)
SELECT d.id, 'BENCH-' || g, d.authority, d.security_level, d.is_classified,
       CASE WHEN d.is_classified THEN NULL ELSE 'Nhiệm vụ thử nghiệm số ' || g END,
       'other', u.id, s.deadline, s.deadline, s.deadline IS NOT NULL,
       'date', 'assigned', s.assigned, s.assigned, s.done, s.state,
       CASE WHEN s.state = 'done' THEN (ARRAY['excellent', 'good', 'satisfactory',
                                              'unsatisfactory'])[1 + g %% 4] END,
       s.state = 'done', s.done, CASE WHEN s.state = 'done' THEN 100 ELSE g %% 90 END,
       TRUE, g, 1, 1, now(), now()
  FROM generate_series(1, %(tasks)s) g
  JOIN LATERAL (SELECT id FROM hy_unit WHERE code LIKE 'BENCH-%%'
                 ORDER BY id OFFSET (g / 7) %% %(units)s LIMIT 1) u ON TRUE
  JOIN LATERAL (SELECT id, authority, security_level, is_classified FROM hy_directive
                 WHERE number LIKE 'BENCH/%%' ORDER BY id OFFSET (g / 3) %% 40 LIMIT 1) d ON TRUE
  JOIN LATERAL (
        SELECT a.assigned,
               CASE WHEN g %% 9 = 0 THEN NULL ELSE a.assigned + 30 + g %% 200 END AS deadline,
               CASE WHEN g %% 10 IN (0, 1, 2) THEN 'done'
                    WHEN g %% 10 IN (3, 4, 5) THEN 'in_progress'
                    WHEN g %% 10 = 6 THEN 'returned'
                    WHEN g %% 10 = 7 THEN 'cancelled'
                    ELSE 'assigned' END AS state,
               CASE WHEN g %% 10 IN (0, 1, 2)
                    THEN LEAST(a.assigned + 10 + g %% 240, DATE '2026-11-20') END AS done
          FROM (SELECT DATE '2025-01-01' + (g %% 660) AS assigned) a
  ) s ON TRUE
"""

# The history such tasks have: one row per entry, each with the task as it was after it.
# Entries are dated at 09:00 in Hà Nội, none after 28/11/2026; a done task was accepted, made
# progress in five steps before its completion date, then was confirmed three days later.
LEDGER_SQL = """
INSERT INTO hy_task_ledger (task_id, timestamp, date, user_id, change, old_value, new_value,
                            origin, state, lead_unit_id, deadline, progress, date_done,
                            confirmed, quality, active, status_category, authority,
                            is_classified)
SELECT t.id, e.day + time '02:00', e.day, 1, e.change, e.old, e.new, 'live', e.state,
       t.lead_unit_id, t.deadline, e.progress, e.done, e.confirmed, e.quality, TRUE, NULL,
       t.authority, t.is_classified
  FROM hy_task t
 CROSS JOIN LATERAL (
        SELECT GREATEST(COALESCE(t.date_done - t.date_assigned, 60), 8) AS span
 ) g
 CROSS JOIN LATERAL (VALUES
        (1, t.date_assigned, 'create', NULL, 'assigned', 'assigned', 0, NULL::date, FALSE,
         NULL),
        (2, t.date_assigned + 1, 'state', 'assigned', 'in_progress', 'in_progress', 0, NULL,
         FALSE, NULL),
        (3, t.date_assigned + g.span * 2 / 8, 'progress', '0', '10', 'in_progress', 10, NULL,
         FALSE, NULL),
        (4, t.date_assigned + g.span * 3 / 8, 'progress', '10', '30', 'in_progress', 30,
         NULL, FALSE, NULL),
        (5, t.date_assigned + g.span * 4 / 8, 'progress', '30', '50', 'in_progress', 50,
         NULL, FALSE, NULL),
        (6, t.date_assigned + g.span * 5 / 8, 'progress', '50', '70', 'in_progress', 70,
         NULL, FALSE, NULL),
        (7, t.date_assigned + g.span * 6 / 8, 'progress', '70', '90', 'in_progress', 90,
         NULL, FALSE, NULL),
        (8, t.date_done, 'state', 'in_progress', 'done', 'done', 100, t.date_done, FALSE,
         NULL),
        (9, t.date_done + 3, 'confirmed', '0', '1', 'done', 100, t.date_done, TRUE, t.quality),
        (10, t.date_assigned + 5, 'state', 'assigned', 'returned', 'returned', 0, NULL, FALSE,
         NULL),
        (11, t.date_assigned + 30, 'state', 'assigned', 'cancelled', 'cancelled', 0, NULL,
         FALSE, NULL)
 ) AS e(seq, day, change, old, new, state, progress, done, confirmed, quality)
 WHERE t.reference LIKE 'BENCH-%%'
   AND e.day <= DATE '2026-11-28'
   AND (e.seq = 1
        OR (e.seq BETWEEN 2 AND 7 AND t.state IN ('in_progress', 'done'))
        OR (e.seq IN (8, 9) AND t.state = 'done')
        OR (e.seq = 10 AND t.state = 'returned')
        OR (e.seq = 11 AND t.state = 'cancelled'))
"""

# The counts of _counted_tasks_query, grouped by unit, without storing anything.
RAW_SQL = """
SELECT t.lead_unit_id, count(*),
       count(*) FILTER (WHERE t.state = 'done' AND t.date_done <= %(to)s
                          AND (t.deadline IS NULL OR t.date_done <= t.deadline)),
       count(*) FILTER (WHERE t.state = 'done' AND t.date_done <= %(to)s
                          AND t.date_done > t.deadline),
       count(*) FILTER (WHERE NOT (t.state = 'done' AND t.date_done <= %(to)s)
                          AND t.state IN ('in_progress', 'done') AND t.deadline < %(as_of)s),
       count(*) FILTER (WHERE NOT (t.state = 'done' AND t.date_done <= %(to)s)
                          AND t.state IN ('in_progress', 'done')
                          AND NOT COALESCE(t.deadline < %(as_of)s, FALSE)),
       count(*) FILTER (WHERE t.state IN ('assigned', 'returned') AND t.deadline < %(as_of)s),
       count(*) FILTER (WHERE t.state IN ('assigned', 'returned')
                          AND NOT COALESCE(t.deadline < %(as_of)s, FALSE)),
       count(*) FILTER (WHERE t.deadline IS NULL)
  FROM hy_task t
 WHERE t.active AND t.state NOT IN ('draft', 'cancelled') AND t.lead_unit_id IS NOT NULL
   AND COALESCE(t.date_assigned, t.create_date::date) <= %(to)s
   AND (NOT (t.state = 'done' AND t.date_done <= %(to)s)
        OR t.date_done BETWEEN %(from)s AND %(to)s
        OR t.deadline BETWEEN %(from)s AND %(to)s)
 GROUP BY t.lead_unit_id
"""


PDF_REPORT = "hy_task_reports.report_hy_report_period"
PDF_STEP = "PDF report (WeasyPrint, A4)"


def timed(label, func, results, repeat=1):
    best = None
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    results.append((label, best))
    return value


def seed(env, n_tasks, n_units):
    from datetime import date

    env["hy.unit"].create(
        [{"name": f"Đơn vị thử nghiệm {i:03d}", "code": f"BENCH-{i:03d}"} for i in range(n_units)]
    )
    authorities = ["government", "prime_minister", "province", "province_chairman"]
    env["hy.directive"].create(
        [
            {
                "name": "Quyết định",
                "number": f"BENCH/{i:02d}",
                "issue_date": date(2024, 12, 1),
                "signer": "Người ký thử nghiệm",
                "authority": authorities[i % 4],
                "security_level": "confidential" if i % 20 == 0 else "normal",
                "summary": None if i % 20 == 0 else "Văn bản thử nghiệm",
            }
            for i in range(40)
        ]
    )
    env.flush_all()
    env.cr.execute(SEED_SQL, {"tasks": n_tasks, "units": n_units})
    # Whose turn it is, their status category, status shown and timeliness from the task's
    # own computes, the one definition of each rule (the flush writes them in batches).
    env.cr.execute("SELECT id FROM hy_task WHERE reference LIKE 'BENCH-%'")
    tasks = env["hy.task"].browse([row[0] for row in env.cr.fetchall()])
    for fname in ("with_office", "status_category", "progress_status", "timeliness"):
        env.add_to_compute(tasks._fields[fname], tasks)
    tasks.flush_recordset()
    # A few transfers, so that the EXISTS of the snapshot has rows to look at.
    env.cr.execute(
        """INSERT INTO hy_task_transfer (task_id, from_unit_id, to_unit_id, reason, user_id,
                                         create_uid, write_uid, create_date, write_date)
           SELECT id, lead_unit_id, lead_unit_id, 'Thử nghiệm', 1, 1, 1, now(), now()
             FROM hy_task WHERE reference LIKE 'BENCH-%' AND id % 50 = 0"""
    )
    if "hy.task.ledger" in env:
        env.cr.execute(LEDGER_SQL)
        # Progress steps of tasks done early land after their completion date: keep a history
        # in order (the completion is the task's last state change but one).
        env.cr.execute(
            """DELETE FROM hy_task_ledger l USING hy_task t
                WHERE t.id = l.task_id AND t.reference LIKE 'BENCH-%%' AND l.change = 'progress'
                  AND t.date_done IS NOT NULL AND l.date >= t.date_done"""
        )
        env.cr.execute("ANALYZE hy_task_ledger")
    env.cr.execute("ANALYZE hy_task")
    env.cr.execute("ANALYZE hy_task_transfer")
    env.invalidate_all()


def run(db, n_tasks, n_units, addons_path, save_dir=None):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools.pdf import PdfFileReader

    odoo.tools.config.parse_config(
        [
            f"--addons-path={addons_path}",
            f"--data-dir={DATA_DIR}",
            "--log-level=warn",
            "-d",
            db,
        ]
    )
    registry = odoo.modules.registry.Registry(db)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        seed(env, n_tasks, n_units)
        print(f"seeded {n_tasks} tasks, {n_units} units in {time.perf_counter() - start:.1f}s")
        if "hy.task.ledger" in env:
            cr.execute("SELECT count(*) FROM hy_task_ledger")
            print(f"ledger: {cr.fetchone()[0]} entries")
        cr.commit()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # Every authority, as the raw GROUP BY below counts (and as before the default scope).
        everything = [(6, 0, env["hy.report.authority"].search([]).ids)]
        period = env["hy.report.period"].create(
            # Calendar dates (ad hoc): the seeded ledger runs to the end of November, beyond
            # the default annual cut-off.
            {
                "kind": "ad_hoc",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "authority_ids": everything,
            }
        )
        cr.commit()

        def compute():
            period.action_compute()
            env.flush_all()

        queries = cr.sql_log_count
        timed("compute the period (snapshot + lines)", compute, results)
        queries = cr.sql_log_count - queries
        timed("compute the period, again", compute, results, repeat=2)
        params = {"from": period.date_from, "to": period.date_to, "as_of": period._as_of()}

        def raw():
            cr.execute(RAW_SQL, params)
            return cr.fetchall()

        rows = timed("raw SQL GROUP BY (same counts)", raw, results, repeat=3)
        # Both count the same tasks: every entry of the ledger is before the end of 2026.
        raw_total = sum(row[1] for row in rows)
        assert raw_total == period.assigned_count, (raw_total, period.assigned_count)
        cr.commit()
        six_month = env["hy.report.period"].create(
            {
                "kind": "ad_hoc",
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
                "authority_ids": everything,
            }
        )
        timed(
            "compute the 6-month period (past)",
            lambda: (six_month.action_compute(), env.flush_all()),
            results,
            repeat=2,
        )
        cr.commit()
        xlsx = timed(
            "XLSX export (2 sheets)",
            lambda: env["report.hy_task_reports.period_xlsx"]._generate(period),
            results,
        )
        period_id = period.id
        summary = (period.assigned_count, len(period.line_ids), queries, len(xlsx))
        cr.commit()

    # The nightly job: every task whose deadline passed since the seed becomes overdue.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("UPDATE hy_task SET timeliness = 'on_time' WHERE timeliness = 'overdue'")
        env.invalidate_all()
        start_queries = cr.sql_log_count
        changed = timed(
            "nightly status job (overdue + ledger)",
            env["hy.task"]._cron_recompute_timeliness,
            results,
        )
        nightly = (len(changed), cr.sql_log_count - start_queries)
        cr.rollback()

    # The PDF as the print menu makes it (WeasyPrint, in this process: no server), the first
    # one this process makes; then that of a period of 10 units.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Report = env["ir.actions.report"]
        pdf, _kind = timed(
            PDF_STEP, lambda: Report._render_qweb_pdf(PDF_REPORT, [period_id]), results
        )
        units = env["hy.report.period"].browse(period_id).line_ids[:10].unit_id
        small = env["hy.report.period"].create(
            {
                "kind": "ad_hoc",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "authority_ids": everything,
                "unit_ids": [(6, 0, units.ids)],
            }
        )
        small.action_compute()
        env.flush_all()
        small_pdf, _kind = timed(
            "PDF report, 10 units", lambda: Report._render_qweb_pdf(PDF_REPORT, small.ids), results
        )
        pages = [PdfFileReader(io.BytesIO(data)).getNumPages() for data in (pdf, small_pdf)]
        cr.rollback()

    counted, lines, queries, xlsx_size = summary
    print(f"\nannual period 2026: {counted} tasks counted, {lines} units")
    print(f"{'step':<42} {'seconds':>8}")
    for label, seconds in results:
        print(f"{label:<42} {seconds:>8.3f}")
    print(f"queries of one compute: {queries}")
    print(f"nightly job: {nightly[0]} tasks became overdue, {nightly[1]} queries")
    print(
        f"XLSX: {xlsx_size / 1024:.0f} KiB; PDF: {len(pdf) / 1024:.0f} KiB, {pages[0]} pages "
        f"(10 units: {pages[1]} pages)"
    )
    if save_dir:
        Path(save_dir, "bench_report.xlsx").write_bytes(xlsx)
        Path(save_dir, "bench_report.pdf").write_bytes(pdf)
        print(f"wrote the XLSX and the PDF in {save_dir}")
    seconds = dict(results)
    print(
        f"summary: compute {seconds['compute the period (snapshot + lines)'] * 1000:.0f} ms "
        f"({queries} queries), XLSX {seconds['XLSX export (2 sheets)'] * 1000:.0f} ms, "
        f"PDF {seconds[PDF_STEP]:.1f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", metavar="DIR", help="write the XLSX and the PDF into DIR")
    args = bench_arguments(__doc__, "hy_bench", parser)
    addons_path = odoo_addons_path(__file__)
    with scratch_database(addons_path, args.db, "hy_task_reports", args.keep):
        run(args.db, args.tasks, args.units, addons_path, args.save)


if __name__ == "__main__":
    main()
