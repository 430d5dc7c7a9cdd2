#!/usr/bin/env python3
"""Benchmark of the task aggregates (kanban columns and progress bars, pivot, graph).

Usage: python3 tools/perf/bench_aggregates.py [--tasks 50000] [--units 100] [--keep]

1. creates a scratch database and installs hy_task_tracking without demo data;
2. seeds the same tasks as tools/perf/bench_reports.py (SQL inserts), and two Office officers:
   one cleared for every level, one without clearance;
3. prints, for each officer:
   - the units x status aggregate through the ORM (read_group, as the kanban progress bars,
     the pivot and the graph do), next to the same GROUP BY in raw SQL, and the ratio;
   - the server time of the backend kanban (web_read_group + read_progress_bar + the records
     of the first column) and of the pivot (the three read_group of its rows, columns and
     cells), read from the request log of a local Odoo server (time in SQL + the rest);
   and ends with one line, "summary: ...", the cleared officer's figures (tools/dev/run_tests.py
   shows it);
4. drops the database (unless --keep).

The PostgreSQL settings are those of the server it runs against (say which with
`SHOW jit`: docs/operations.md explains why this project expects `jit = off`).
Environment: ODOO_PYTHON (interpreter that imports Odoo 18, default: this one).
"""

import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TOOLS), str(TOOLS / "perf")]  # odoo_env, then the other benches

from bench_common import bench_arguments, log_mark, requests_since
from bench_reports import seed
from odoo_env import (
    DATA_DIR,
    LOG_DIR,
    free_port,
    json_rpc_session,
    odoo_addons_path,
    odoo_server,
    scratch_database,
)

RAW_SQL = """
SELECT lead_unit_id, status_category, count(*)
  FROM hy_task
 WHERE active
 GROUP BY lead_unit_id, status_category
"""
# The task kanban's columns and bars (views/hy_task_views.xml): by status.
KANBAN_COLOURS = {
    "not_started_overdue": "danger",
    "in_progress_overdue": "danger",
    "not_started_on_time": "secondary",
    "in_progress_on_time": "info",
    "done_unconfirmed": "info",
    "done_late": "warning",
    "done_on_time": "success",
}
OFFICERS = {
    "cleared": "hy_task_tracking.group_office_officer,hy_task_tracking.group_clearance_top_secret",
    "uncleared": "hy_task_tracking.group_office_officer",
}


def best_of(func, repeat=5):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def prepare(db, n_tasks, n_units, addons_path):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [f"--addons-path={addons_path}", f"--data-dir={DATA_DIR}", "--log-level=warn", "-d", db]
    )
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seed(env, n_tasks, n_units)
        for login, groups in OFFICERS.items():
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "name": f"Chuyên viên {login}",
                    "login": f"bench_{login}",
                    "password": f"bench_{login}",
                    "groups_id": [(6, 0, [env.ref(g).id for g in groups.split(",")])],
                }
            )
        cr.execute("ANALYZE")
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SHOW jit")
        print(f"PostgreSQL jit = {cr.fetchone()[0]}")
        raw = best_of(lambda: (cr.execute(RAW_SQL), cr.fetchall()))
        for login in OFFICERS:
            user = env["res.users"].search([("login", "=", f"bench_{login}")])
            tasks = env["hy.task"].with_user(user)

            def aggregate(tasks=tasks):
                tasks.env.invalidate_all()
                tasks._read_group([], ["lead_unit_id", "status_category"], ["__count"])

            results[login] = best_of(aggregate)
        return raw, results


def http_times(db, addons_path, port, log_path):
    """Server times of the kanban and the pivot for each officer, from the request log."""
    timings = {}
    with odoo_server(addons_path, db, port, log_path) as base:
        for login in OFFICERS:
            session = json_rpc_session(base, db, f"bench_{login}")

            def call(method, *args, session=session, **kwargs):
                return session("hy.task", method, *args, **kwargs)

            context = {"lang": "en_US", "tz": "Asia/Ho_Chi_Minh"}
            fields = {"reference": {}, "title": {}, "deadline": {}, "timeliness": {}}
            for _round in range(3):  # warm the caches, then measure the last round
                mark = log_mark(log_path)
                # The kanban: its columns, their progress bars, the cards of the first column.
                call(
                    "web_read_group",
                    domain=[],
                    fields=["progress_status"],
                    groupby=["progress_status"],
                    lazy=True,
                    context=context,
                )
                call(
                    "read_progress_bar",
                    domain=[],
                    group_by="progress_status",
                    progress_bar={"field": "progress_status", "colors": KANBAN_COLOURS},
                    context=context,
                )
                call(
                    "web_search_read",
                    domain=[("progress_status", "=", "not_started_overdue")],
                    specification=fields,
                    limit=40,
                    context=context,
                )
                # The pivot: rows, columns, cells.
                for groupby in (["lead_unit_id"], ["status_category"]):
                    call("read_group", [], ["__count"], groupby, lazy=False, context=context)
                call(
                    "read_group",
                    [],
                    ["__count"],
                    ["lead_unit_id", "status_category"],
                    lazy=False,
                    context=context,
                )
            time.sleep(0.5)
            # "hy.task/<method>" -> the method
            lines = [
                (path.rsplit("/", 1)[-1], *rest) for path, *rest in requests_since(log_path, mark)
            ]
            # Three requests of the kanban, three of the pivot: any missing was not measured.
            if len(lines) != 6:
                raise RuntimeError(f"{login}: {len(lines)} requests in the log of {log_path}")
            kanban = sum(
                float(sql) + float(rest)
                for method, _q, sql, rest in lines
                if method in ("web_read_group", "read_progress_bar", "web_search_read")
            )
            pivot = sum(
                float(sql) + float(rest)
                for method, _q, sql, rest in lines
                if method == "read_group"
            )
            timings[login] = (kanban, pivot)
    return timings


def main():
    args = bench_arguments(__doc__, "hy_bench_agg")
    addons_path = odoo_addons_path(__file__)
    log_path = LOG_DIR / f"{args.db}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with scratch_database(addons_path, args.db, "hy_task_tracking", args.keep):
        raw, orm = prepare(args.db, args.tasks, args.units, addons_path)
        timings = http_times(args.db, addons_path, free_port(), log_path)
    print(f"\n{args.tasks} tasks, {args.units} units")
    print(f"raw SQL GROUP BY (units x status)          {raw * 1000:8.1f} ms")
    for login in OFFICERS:
        kanban, pivot = timings[login]
        print(
            f"officer {login:<9} read_group {orm[login] * 1000:8.1f} ms ({orm[login] / raw:4.1f}x) "
            f"kanban {kanban * 1000:6.0f} ms  pivot {pivot * 1000:6.0f} ms (server time)"
        )
    kanban, pivot = timings["cleared"]
    print(
        f"summary: read_group {orm['cleared'] / raw:.1f}x raw SQL, "
        f"kanban {kanban * 1000:.0f} ms, pivot {pivot * 1000:.0f} ms (cleared officer)"
    )


if __name__ == "__main__":
    main()
