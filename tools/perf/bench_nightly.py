#!/usr/bin/env python3
"""Benchmark of the nightly overdue job, side by side with Odoo's own activity_schedule.

Usage: python3 tools/perf/bench_nightly.py [--tasks 10000] [--units 100] [--keep]

1. creates a scratch database and installs hy_task_tracking without demo data;
2. seeds N units, each with a member who reads mail, a follow-up division with a head, an
   Office manager and three follow-up officers (one cleared for confidential documents), and
   40 directives (one in 20 confidential);
3. for N newly overdue tasks (one per unit: one notice per task, the worst case), 1,000,
   then T (--tasks, when more than 1,000): inserts that many open tasks whose deadline was
   yesterday (SQL inserts; one in 20 of a confidential directive, one in 10 without a
   follow-up officer), then measures on them
   - Odoo's own ``record.activity_schedule(...)``, called on each task as a record does it
     (the same activity type, an officer, no mail per activity as in the job; the tasks made
     normal for it: it would give a classified one the type's summary), rolled back,
   - the nightly overdue job (``hy.task._cron_overdue_reminders``: statuses and their ledger,
     one activity per task for the Office, its ledger row, one notice per unit), committed
     as at night: the tasks of the previous size are overdue already, reminded once;
   and prints the queries and the milliseconds of each, per task;
4. ends with one line, "summary: ...", the figures per task of each size (tools/dev/run_tests.py
   shows it); drops the database (unless --keep).

Environment: ODOO_PYTHON (interpreter that imports Odoo 18, default: this one).
"""

import argparse
import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TOOLS), str(TOOLS / "perf")]  # odoo_env, then the other benches

from bench_common import bench_arguments
from odoo_env import DATA_DIR, odoo_addons_path, scratch_database

SMALL = 1000  # the first size measured, and the only one when --tasks is not larger

# Open tasks whose deadline was yesterday, not overdue yet (the nightly job moves them):
# assigned or in progress, their status as of the day before.
TASKS_SQL = """
INSERT INTO hy_task (directive_id, reference, authority, security_level, is_classified, name,
                     kind, lead_unit_id, followup_unit_id, followup_user_id, deadline,
                     original_deadline, has_deadline, deadline_rule, deadline_from,
                     date_assigned, date_received, state, status_category, progress_status,
                     timeliness, with_office, confirmed, progress, active,
                     sequence_in_directive, create_uid, write_uid, create_date, write_date)
SELECT d.id, 'NIGHT-' || %(batch)s || '-' || g, d.authority, d.security_level,
       d.is_classified,
       CASE WHEN d.is_classified THEN NULL ELSE 'Nhiệm vụ thử nghiệm số ' || g END,
       'other', u.id, %(division)s,
       CASE WHEN g %% 10 = 0 THEN NULL
            WHEN d.is_classified THEN %(cleared)s
            ELSE (%(officers)s::int[])[1 + g %% 3] END,
       %(deadline)s, %(deadline)s, TRUE, 'date', 'assigned',
       %(assigned)s, %(assigned)s, s.state, s.category, s.category, 'due_soon', FALSE, FALSE,
       CASE WHEN s.state = 'in_progress' THEN 40 ELSE 0 END, TRUE, g, 1, 1, now(), now()
  FROM generate_series(1, %(tasks)s) g
  JOIN LATERAL (SELECT id FROM hy_unit WHERE code LIKE 'NIGHT-%%'
                 ORDER BY id OFFSET g %% %(units)s LIMIT 1) u ON TRUE
  JOIN LATERAL (SELECT id, authority, security_level, is_classified FROM hy_directive
                 WHERE number LIKE 'NIGHT/%%' ORDER BY id OFFSET g %% 40 LIMIT 1) d ON TRUE
  JOIN LATERAL (SELECT CASE WHEN g %% 2 = 0 THEN 'assigned' ELSE 'in_progress' END AS state,
                       CASE WHEN g %% 2 = 0 THEN 'not_started_on_time'
                            ELSE 'in_progress_on_time' END AS category) s ON TRUE
"""


def seed_people(env, n_units):
    """Units with a member each, the follow-up division, the Office's officers; returns
    (division, [officer ids], id of the officer cleared for confidential documents)."""
    from datetime import date

    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    group = "hy_task_tracking.group_"

    def user(login, groups):
        return {
            "name": f"Người dùng {login}",
            "login": login,
            "email": f"{login}@bench.example.com",
            "tz": "Asia/Ho_Chi_Minh",
            "groups_id": [(6, 0, [env.ref(f"{group}{g}").id for g in groups])],
        }

    officers = Users.create(
        [
            user("night_officer_1", ["office_officer"]),
            user("night_officer_2", ["office_officer"]),
            user("night_officer_3", ["office_officer", "clearance_confidential"]),
            user("night_head", ["office_officer"]),
            user("night_manager", ["office_manager", "clearance_confidential"]),
        ]
    )
    division = env["hy.unit"].create(
        {
            "name": "Phòng Theo dõi (thử)",
            "code": "NIGHT-DIV",
            "unit_type": "office_division",
            "head_user_id": officers[3].id,
        }
    )
    members = Users.create([user(f"night_unit_{i:03d}", ["unit_user"]) for i in range(n_units)])
    env["hy.unit"].create(
        [
            {
                "name": f"Đơn vị thử nghiệm {i:03d}",
                "code": f"NIGHT-{i:03d}",
                "user_ids": [(6, 0, member.ids)],
            }
            for i, member in enumerate(members)
        ]
    )
    authorities = ["government", "prime_minister", "province", "province_chairman"]
    env["hy.directive"].create(
        [
            {
                "name": "Quyết định",
                "number": f"NIGHT/{i:02d}",
                "issue_date": date(2024, 12, 1),
                "signer": "Người ký thử nghiệm",
                "authority": authorities[i % 4],
                "security_level": "confidential" if i % 20 == 0 else "normal",
                "summary": None if i % 20 == 0 else "Văn bản thử nghiệm",
                "followup_unit_id": division.id,
            }
            for i in range(40)
        ]
    )
    env.flush_all()
    return division, officers[:3].ids, officers[2].id


def seed_tasks(env, batch, count, n_units, people):
    """``count`` open tasks whose deadline was yesterday; returns them."""
    from datetime import timedelta

    from odoo.addons.hy_task_tracking.models.hy_time import hy_today

    division, officers, cleared = people
    today = hy_today()
    env.cr.execute(
        TASKS_SQL + " RETURNING id",
        {
            "batch": batch,
            "tasks": count,
            "units": n_units,
            "division": division.id,
            "officers": officers,
            "cleared": cleared,
            "deadline": today - timedelta(days=1),
            "assigned": today - timedelta(days=60),
        },
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("ANALYZE hy_task")
    env.invalidate_all()
    return env["hy.task"].browse(ids)


def measure(cr, func):
    """(seconds, queries) of ``func()``."""
    queries = cr.sql_log_count
    start = time.perf_counter()
    func()
    return time.perf_counter() - start, cr.sql_log_count - queries


def run(db, sizes, n_units, addons_path):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [f"--addons-path={addons_path}", f"--data-dir={DATA_DIR}", "--log-level=warn", "-d", db]
    )
    registry = odoo.modules.registry.Registry(db)
    from odoo.addons.hy_task_tracking.models.hy_time import hy_today

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        people = seed_people(env, n_units)
        # A first night with nothing overdue yet: the job's status and Odoo's caches exist.
        env["hy.task"]._cron_overdue_reminders()
        cr.commit()
    results = []
    for batch, size in enumerate(sizes, start=1):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tasks = seed_tasks(env, batch, size, n_units, people)
            cr.commit()
            # Odoo's own: one activity_schedule per record, as a record schedules its own, for
            # an officer, without a mail per activity (as the job). It gives a classified task
            # the type's summary, which the guard refuses: here (rolled back) none is.
            cr.execute(
                "UPDATE hy_task SET is_classified = FALSE, security_level = 'normal' "
                "WHERE id = ANY(%s)",
                [tasks.ids],
            )
            officer = env["res.users"].browse(people[1][0])
            env.invalidate_all()

            def schedule(tasks=tasks, officer=officer):
                for task in tasks.with_context(mail_activity_quick_update=True):
                    task.activity_schedule(
                        "hy_task_tracking.mail_activity_type_overdue",
                        date_deadline=hy_today(),
                        summary="Quá hạn: đôn đốc đơn vị",
                        user_id=officer.id,
                    )
                tasks.env.flush_all()

            odoo_figures = measure(cr, schedule)
            cr.rollback()
            env.invalidate_all()
            job_figures = measure(cr, env["hy.task"]._cron_overdue_reminders)
            cr.execute(
                """SELECT (SELECT count(*) FROM mail_activity WHERE res_model = 'hy.task'
                              AND res_id = ANY(%(ids)s)),
                          (SELECT count(*) FROM hy_task_reminder WHERE task_id = ANY(%(ids)s)),
                          (SELECT last_state FROM hy_job_status WHERE job = 'overdue')""",
                {"ids": tasks.ids},
            )
            activities, ledger, state = cr.fetchone()
            if state != "done" or activities < size or ledger != 2 * size:
                raise RuntimeError(
                    f"the job did not remind every task: {state}, {activities} activities, "
                    f"{ledger} ledger rows for {size} tasks"
                )
            cr.commit()
        results.append((size, job_figures, odoo_figures, activities))
    return results


def per_task(figures, size):
    seconds, queries = figures
    return f"{queries / size:6.2f} queries {seconds * 1000 / size:6.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.set_defaults(tasks=10000)
    args = bench_arguments(__doc__, "hy_bench_nightly", parser)
    # One task per unit (a notice per task: the worst case per task), 1,000, then --tasks.
    sizes = sorted({size for size in (args.units, SMALL, args.tasks) if size <= args.tasks})
    addons_path = odoo_addons_path(__file__)
    with scratch_database(addons_path, args.db, "hy_task_tracking", args.keep):
        results = run(args.db, sizes, args.units, addons_path)
    print(f"\nnewly overdue tasks, {args.units} units: per task")
    print(f"{'tasks':>7}  {'nightly overdue job':<34} {'Odoo activity_schedule':<34}")
    for size, job, odoo_figures, activities in results:
        print(f"{size:>7}  {per_task(job, size):<34} {per_task(odoo_figures, size):<34}")
        print(
            f"{'':>7}  job: {job[1]} queries, {job[0]:.2f} s, {activities} activities; "
            f"activity_schedule: {odoo_figures[1]} queries, {odoo_figures[0]:.2f} s"
        )
    figures = "; ".join(
        f"{size}: {job[1] / size:.2f} q {job[0] * 1000 / size:.2f} ms vs "
        f"{odoo_figures[1] / size:.2f} q {odoo_figures[0] * 1000 / size:.2f} ms"
        for size, job, odoo_figures, _activities in results
    )
    print(f"summary: per newly overdue task, job vs activity_schedule, {figures}")


if __name__ == "__main__":
    main()
