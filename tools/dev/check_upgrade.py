#!/usr/bin/env python3
"""Upgrade check: a database made with an earlier commit, upgraded to this one.

Usage: python3 tools/dev/check_upgrade.py [--from REV] [--keep]

1. takes the addons of REV (default: the last commit before the task ledger) out of git;
2. creates a scratch database with both modules and their demo data, with those addons;
3. notes what its tasks and approved reports say;
4. upgrades both modules with this checkout's addons (the migrations/ scripts run);
5. checks that every task got its opening ledger entries, that the last entry of each task
   says what the task is, that approved reports kept every figure, that a past period
   can be computed from the rebuilt history, and that each nightly job moved or renamed by a
   migration is there once, with its settings;
6. drops the database (unless --keep) and prints one line: "upgrade: ok" or what failed.

Exit status: 0 when the upgrade is right, 1 when a check failed, 2 when it could not run.
Environment: ODOO_PYTHON (interpreter that imports Odoo 18, default: this one).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/: odoo_env

from odoo_env import ROOT, OdooMissing, odoo_dirs

# The last commit of main before the task ledger (hy_task_tracking 18.0.1.0.0).
BASE = "c40f5b7"
MODULES = "hy_task_tracking,hy_task_reports"

# Run inside the scratch database with `odoo shell`: prints one JSON document.
BEFORE = """
import json
Task = env["hy.task"].with_context(active_test=False)
# What the old version let through: the reason of a classified task's transfer (18.0.1.3.0
# removes it and logs the removal).
classified = Task.search(
    [("is_classified", "=", True), ("state", "in", ("assigned", "in_progress"))], limit=1
)
other = env["hy.unit"].search(
    [("unit_type", "!=", "office_division"), ("id", "!=", classified.lead_unit_id.id)], limit=1
)
classified._transfer_to_unit(other, "Lý do chỉ được gửi qua kênh mật")
# The report reminder's job, set by hand: 18.0.1.7.0 moves it to hy_task_reports, settings kept.
report_job = env["ir.cron"].with_context(active_test=False).search(
    [("code", "=", "model._cron_report_deadline_reminders()")], limit=1
)
report_job.write({"active": False, "interval_number": 2, "nextcall": "2031-01-02 17:20:00"})
env.cr.commit()
tasks = {
    t.id: [t.state, t.lead_unit_id.id, str(t.deadline or ""), str(t.date_done or ""),
           t.confirmed, t.quality or False, t.active]
    for t in Task.search([])
}
lines = {
    line.id: [line.assigned_count, line.done_on_time_count, line.done_late_count,
              line.score, line.rank]
    for line in env["hy.report.line"].search([("period_id.state", "in", ("approved", "published"))])
}
scopes = {p.id: sorted(p.authority_ids.mapped("code")) for p in env["hy.report.period"].search([])}
report_job = report_job and [report_job.id, report_job.active, report_job.interval_number,
                             report_job.interval_type, str(report_job.nextcall)]
print("JSON" + json.dumps({"tasks": tasks, "lines": lines, "scopes": scopes,
                           "report_job": report_job or None}))
"""
AFTER = """
import json
from datetime import date
Task = env["hy.task"].with_context(active_test=False)
Ledger = env["hy.task.ledger"]
tasks = {}
for t in Task.search([]):
    entries = Ledger.search([("task_id", "=", t.id)], order="timestamp, id")
    last = entries[-1:]
    tasks[t.id] = {
        "now": [t.state, t.lead_unit_id.id, str(t.deadline or ""), str(t.date_done or ""),
                t.confirmed, t.quality or False, t.active],
        "last": [last.state, last.lead_unit_id.id, str(last.deadline or ""),
                 str(last.date_done or ""), last.confirmed, last.quality or False,
                 last.active] if last else None,
        "entries": len(entries),
        "origins": sorted(set(entries.mapped("origin"))),
    }
lines = {
    line.id: [line.assigned_count, line.done_on_time_count, line.done_late_count,
              line.score, line.rank]
    for line in env["hy.report.line"].search([("period_id.state", "in", ("approved", "published"))])
}
periods = env["hy.report.period"].search([("state", "in", ("approved", "published"))])
totals_ok = all(p.assigned_count == sum(p.line_ids.mapped("assigned_count")) for p in periods)
uncounted = env["hy.report.entry"].search_count([("counted", "=", False),
                                                  ("is_transferred_out", "=", False)])
scopes = {p.id: sorted(p.authority_ids.mapped("code")) for p in env["hy.report.period"].search([])}
reasons = env["hy.task.transfer"].sudo().search_count(
    [("task_id.is_classified", "=", True), ("reason", "!=", False)])
purge_log = env["hy.classified.access.log"].sudo().search_count(
    [("res_model", "=", "hy.task.transfer"), ("details", "like", "upgrade:")])
cron_names = sorted(env["ir.model.data"].search(
    [("module", "=", "hy_task_tracking"), ("model", "=", "ir.cron")]).mapped("name"))
overdue_jobs = env["ir.cron"].with_context(active_test=False).search_count(
    [("code", "=", "model._cron_overdue_reminders()")])
report_jobs = [
    {"settings": [job.id, job.active, job.interval_number, job.interval_type, str(job.nextcall)],
     "xmlids": job._get_external_ids()[job.id], "model": job.model_id.model,
     "statuses": env["hy.job.status"].search_count([("cron_id", "=", job.id)])}
    for job in env["ir.cron"].with_context(active_test=False).search(
        [("code", "=", "model._cron_report_deadline_reminders()")])
]
report_mails = env["ir.ui.view"].search([("key", "like", "%.mail_report_deadline")]).mapped("key")
past = env["hy.report.period"].create({"kind": "six_month", "year": date.today().year})
past.action_compute()
print("JSON" + json.dumps({
    "tasks": tasks, "lines": lines, "scopes": scopes, "totals_ok": totals_ok,
    "uncounted": uncounted, "classified_reasons": reasons, "purge_log": purge_log,
    "past": [past.assigned_count, len(past.line_ids)],
    "cron_names": cron_names, "overdue_jobs": overdue_jobs,
    "report_jobs": report_jobs, "report_mails": report_mails,
}))
env.cr.rollback()
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def shell(py, addons, data_dir, db, script):
    cmd = [py, "-m", "odoo", "shell", f"--addons-path={addons}", f"--data-dir={data_dir}"]
    cmd += ["-d", db, "--log-level=error", "--no-http"]
    out = run(cmd, input=script, capture_output=True, text=True).stdout
    line = next((line for line in out.splitlines() if line.startswith("JSON")), None)
    if line is None:
        raise RuntimeError(f"no result from odoo shell:\n{out[-2000:]}")
    return json.loads(line[4:])


def odoo(py, addons, data_dir, db, *args):
    cmd = [py, "-m", "odoo", f"--addons-path={addons}", f"--data-dir={data_dir}", "-d", db]
    cmd += [*args, "--stop-after-init", "--no-http", "--log-level=warn"]
    run(cmd, stdout=subprocess.DEVNULL)


def check(before, after):
    """What went wrong, as sentences; empty when the upgrade is right."""
    problems = []
    if not set(before["tasks"]) <= set(after["tasks"]):
        problems.append("the upgrade lost tasks")
    # Tasks the new version's demo data adds during the upgrade have a live history: only the
    # tasks recorded before the upgrade must have opening entries.
    for task_id, task in after["tasks"].items():
        if task_id not in before["tasks"]:
            continue
        if not task["entries"]:
            problems.append(f"task {task_id} has no ledger entry")
        elif task["origins"] != ["opening"]:
            problems.append(f"task {task_id} has entries that are not opening ones")
        elif task["last"] != task["now"]:
            problems.append(
                f"the ledger of task {task_id} ends at {task['last']}, not {task['now']}"
            )
        if before["tasks"].get(task_id) != task["now"]:
            problems.append(f"task {task_id} changed during the upgrade")
    if before["lines"] != after["lines"]:
        problems.append("an approved report's figures changed")
    if before["scopes"] != after["scopes"]:
        problems.append(f"reports changed scope: {before['scopes']} -> {after['scopes']}")
    if not after["totals_ok"]:
        problems.append("the stored totals of an approved report are not the sum of its lines")
    if after["classified_reasons"] or not after["purge_log"]:
        problems.append("a classified task's transfer reason was not removed and logged")
    if "ir_cron_recompute_timeliness" in after["cron_names"]:
        problems.append("the overdue job kept its old name (pre-migrate 18.0.1.6.0)")
    if after["overdue_jobs"] != 1:
        problems.append(f"{after['overdue_jobs']} nightly overdue jobs instead of one")
    problems += check_report_job(before, after)
    if after["uncounted"]:
        problems.append(f"{after['uncounted']} entries of approved reports lost 'counted'")
    return problems


def check_report_job(before, after):
    """The report reminder went to hy_task_reports (pre-migrate 18.0.1.7.0 of hy_task_tracking):
    one job, under its new name, on the submissions, with the settings it had, its status and
    its mail with it."""
    jobs = after["report_jobs"]
    if len(jobs) != 1:
        return [f"{len(jobs)} report reminder jobs instead of one"]
    job, problems = jobs[0], []
    if job["xmlids"] != ["hy_task_reports.ir_cron_report_deadline_reminders"]:
        problems.append(f"the report reminder job is named {job['xmlids']}")
    if job["model"] != "hy.report.unit.submission":
        problems.append(f"the report reminder job runs on {job['model']}")
    if before.get("report_job") and job["settings"] != before["report_job"]:
        problems.append(
            f"the report reminder job's settings changed: {before['report_job']} -> "
            f"{job['settings']}"
        )
    if job["statuses"] != 1:
        problems.append(f"the report reminder job has {job['statuses']} statuses instead of one")
    if after["report_mails"] != ["hy_task_reports.mail_report_deadline"]:
        problems.append(f"the report reminder's mail templates: {after['report_mails']}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="rev", default=BASE, help=f"earlier commit ({BASE})")
    parser.add_argument("--db", default=f"hy_upgrade_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    py = os.environ.get("ODOO_PYTHON", sys.executable)
    try:
        core = odoo_dirs(py)
    except OdooMissing:
        print("upgrade: not run (Odoo 18 cannot be imported; see README.md)")
        return 2
    try:
        known = subprocess.run(
            ["git", "-C", str(ROOT), "cat-file", "-e", f"{args.rev}^{{commit}}"],
            check=False,
            capture_output=True,
        )
    except OSError:
        print("upgrade: not run (git is not available here)")
        return 2
    if known.returncode:
        print(f"upgrade: not run (commit {args.rev} is not in this clone)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="hy_upgrade_"))
    data_dir = work / "data"
    try:
        archive = subprocess.Popen(
            ["git", "-C", str(ROOT), "archive", args.rev, "addons"], stdout=subprocess.PIPE
        )
        run(["tar", "-x", "-C", str(work)], stdin=archive.stdout)
        archive.wait()
        old_addons = f"{work / 'addons'},{core}"
        new_addons = f"{ROOT / 'addons'},{core}"
        run(["createdb", args.db])
        odoo(py, old_addons, data_dir, args.db, "-i", MODULES)
        before = shell(py, old_addons, data_dir, args.db, BEFORE)
        odoo(py, new_addons, data_dir, args.db, "-u", MODULES)
        after = shell(py, new_addons, data_dir, args.db, AFTER)
    finally:
        if args.keep:
            print(f"kept database {args.db}")
        else:
            drop = [py, "-m", "odoo", "db", f"--data-dir={data_dir}", "drop", args.db]
            subprocess.run(drop, check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    problems = check(before, after)
    entries = sum(after["tasks"][task_id]["entries"] for task_id in before["tasks"])
    summary = (
        f"{len(before['tasks'])} tasks from {args.rev}, {entries} opening entries, "
        f"{len(after['lines'])} approved report lines kept, past 6-month period: "
        f"{after['past'][0]} tasks in {after['past'][1]} units"
    )
    if problems:
        print("\n".join(problems[:20]), file=sys.stderr)
        print(f"upgrade: FAILED ({len(problems)} problems; {summary})")
        return 1
    print(f"upgrade: ok ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
