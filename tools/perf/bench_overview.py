#!/usr/bin/env python3
"""Benchmark of the leadership overview (Task Tracking > Overview).

Usage: python3 tools/perf/bench_overview.py [--tasks 50000] [--units 100] [--keep]

1. creates a scratch database and installs hy_task_tracking without demo data;
2. seeds the same tasks as tools/perf/bench_reports.py (SQL inserts, the nightly status job run
   once), and three users: the Chairman (leadership, cleared for every level), an Office
   officer without clearance, and a member of one unit;
3. starts a local Odoo server and, for each user, opens the overview as the browser does:
   hy.task.overview.get_overview(), then the two charts (web_read_group of the graph views);
   prints the server time of each request, read from the request log (time in SQL + the
   rest), best of three rounds after a warm-up; ends with one line, "summary: ...", the
   total of each user (tools/dev/run_tests.py shows it);
4. drops the database (unless --keep).

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

USERS = {
    "chairman": "hy_task_tracking.group_leadership,hy_task_tracking.group_clearance_top_secret",
    "officer": "hy_task_tracking.group_office_officer",
    "unit": "hy_task_tracking.group_unit_user",
}


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
        # The seeded history leaves the category of its entries empty; a confirmation holds
        # the category of the result it confirms (the overview's on-time rate reads it).
        cr.execute(
            """UPDATE hy_task_ledger l SET status_category = t.status_category
                 FROM hy_task t WHERE t.id = l.task_id AND l.change = 'confirmed'"""
        )
        env["hy.task"]._cron_recompute_timeliness()
        for login, groups in USERS.items():
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": f"Người dùng {login}",
                        "login": f"bench_{login}",
                        "password": f"bench_{login}",
                        "tz": "Asia/Ho_Chi_Minh",
                        "groups_id": [(6, 0, [env.ref(g).id for g in groups.split(",")])],
                    }
                )
            )
            if login == "unit":
                env["hy.unit"].search([("code", "like", "BENCH-%")], limit=1).user_ids = user
        env.flush_all()
        cr.execute("ANALYZE")
        cr.execute("SHOW jit")
        print(f"PostgreSQL jit = {cr.fetchone()[0]}")
        cr.execute("SELECT count(*) FROM hy_task")
        print(f"{cr.fetchone()[0]} tasks in the database")


def measure(db, addons_path, port, log_path):
    """{user: ({request: (best server time, queries)}, key figures)} of the overview."""
    results = {}
    with odoo_server(addons_path, db, port, log_path) as base:
        for login in USERS:
            call = json_rpc_session(base, db, f"bench_{login}")
            context = {"lang": "en_US", "tz": "Asia/Ho_Chi_Minh"}
            best = {}
            for _round in range(4):  # a warm-up, then the best of three
                mark = log_mark(log_path)
                data = call("hy.task.overview", "get_overview", context=context)
                charts = data["charts"]
                # The charts, as the graph view asks for them.
                chart_context = dict(context, fill_temporal=False)
                call(
                    charts["overdue_by_unit"]["model"],
                    "web_read_group",
                    domain=charts["overdue_by_unit"]["domain"],
                    fields=["__count"],
                    groupby=["lead_unit_id", "status_category"],
                    lazy=False,
                    context=chart_context,
                )
                trend = charts["trend"]  # none for units: they do not read the ledger
                if trend:
                    call(
                        trend["model"],
                        "web_read_group",
                        domain=trend["domain"],
                        fields=["__count"],
                        groupby=["date:month", "status_category"],
                        lazy=False,
                        context=chart_context,
                    )
                time.sleep(0.3)
                lines = requests_since(log_path, mark)
                if _round == 0:
                    continue
                names = ("overview data", "overdue chart", "trend chart")
                # A request the log does not show would not be measured: say it, don't skip it.
                if len(lines) != (3 if trend else 2):
                    raise RuntimeError(f"{login}: {len(lines)} requests in the log of {log_path}")
                for name, (_path, queries, sql, rest) in zip(names, lines, strict=False):
                    seconds = float(sql) + float(rest)
                    if name not in best or seconds < best[name][0]:
                        best[name] = (seconds, int(queries))
            results[login] = (best, data["kpis"])
    return results


def main():
    args = bench_arguments(__doc__, "hy_bench_overview")
    addons_path = odoo_addons_path(__file__)
    log_path = LOG_DIR / f"{args.db}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with scratch_database(addons_path, args.db, "hy_task_tracking", args.keep):
        prepare(args.db, args.tasks, args.units, addons_path)
        results = measure(args.db, addons_path, free_port(), log_path)
    print(f"\n{args.tasks} tasks, {args.units} units: server time of the overview, best of 3")
    for login, (best, kpis) in results.items():
        total = sum(seconds for seconds, _q in best.values())
        parts = "  ".join(
            f"{name} {seconds * 1000:5.0f} ms ({queries} q)"
            for name, (seconds, queries) in best.items()
        )
        figures = ", ".join(f"{kpi['key']}={kpi['value']}" for kpi in kpis)
        print(f"{login:<9} total {total * 1000:5.0f} ms  {parts}")
        print(f"{'':<9} {figures}")
    totals = (
        f"{login} {sum(seconds for seconds, _q in best.values()) * 1000:.0f} ms"
        for login, (best, _kpis) in results.items()
    )
    print(f"summary: {', '.join(totals)}")


if __name__ == "__main__":
    main()
