#!/usr/bin/env python3
"""Prepare a database for the load scenario (locustfile.py beside it), through JSON-RPC as admin.

Usage: python3 tools/perf/load/prepare.py --url http://127.0.0.1:8170 --db hy16_demo
           [--units-users 200] [--officers 10] [--tasks-per-unit 6] [--sessions FILE]

Creates, unless they exist already (safe to rerun):
- portal users hy_load_u000 ... (password = login), spread over the departments and districts;
- Office officers hy_load_officer00 ... (password = login);
- one directive "HY-LOAD" with --tasks-per-unit assigned tasks per unit, deadlines a year ahead,
  so that every unit user has tasks to report on and to ask an extension for.
--sessions FILE: then logs every load user in (and chu_tich), a few at a time, and writes
their session ids to FILE for locustfile.py (HY_LOAD_SESSIONS): the users of a load run
come back with a session instead of all logging in at once.
Only the standard library: it runs with any python3 (the locust virtualenv's too).
Environment: HY_ADMIN_PASSWORD (default admin).
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tools/: odoo_env
from odoo_env import json_rpc_session

UNIT_PREFIX = "hy_load_u"
OFFICER_PREFIX = "hy_load_officer"
DIRECTIVE_NUMBER = "HY-LOAD/2025"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8170")
    parser.add_argument("--db", required=True)
    parser.add_argument("--unit-users", type=int, default=200)
    parser.add_argument("--officers", type=int, default=10)
    parser.add_argument("--tasks-per-unit", type=int, default=6)
    parser.add_argument("--sessions", help="write the users' session ids to this JSON file")
    parser.add_argument(
        "--report-units",
        type=int,
        default=130,
        help="units of the approved report the leaders download (0: none)",
    )
    parser.add_argument("--report-tasks", type=int, default=5200, help="tasks of that report")
    args = parser.parse_args()
    start = time.perf_counter()
    call = json_rpc_session(args.url, args.db, "admin", os.environ.get("HY_ADMIN_PASSWORD"))

    units = call(
        "hy.unit", "search_read", [("unit_type", "in", ["department", "district"])], ["name"]
    )
    ref = call("ir.model.data", "check_object_reference", "base", "group_portal")
    portal_group = ref[1]
    officer_group = call(
        "ir.model.data", "check_object_reference", "hy_task_tracking", "group_office_officer"
    )[1]

    # Users: one create call per batch; hashing the passwords is what takes the time.
    wanted = {f"{UNIT_PREFIX}{i:03d}": units[i % len(units)] for i in range(args.unit_users)}
    wanted.update({f"{OFFICER_PREFIX}{i:02d}": None for i in range(args.officers)})
    existing = {
        user["login"]
        for user in call(
            "res.users",
            "search_read",
            [("login", "in", list(wanted))],
            ["login"],
            context={"active_test": False},
        )
    }
    missing = [login for login in wanted if login not in existing]
    for chunk in range(0, len(missing), 25):
        vals = []
        for login in missing[chunk : chunk + 25]:
            unit = wanted[login]
            vals.append(
                {
                    "name": f"Load {login}",
                    "login": login,
                    "password": login,
                    # an officer's decisions post messages: Odoo needs the author's address
                    "email": f"{login}@load.example.com",
                    "lang": "vi_VN",
                    "tz": "Asia/Ho_Chi_Minh",
                    "groups_id": [(6, 0, [portal_group if unit else officer_group])],
                    "hy_unit_ids": [(6, 0, [unit["id"]])] if unit else [],
                }
            )
        call("res.users", "create", vals, context={"no_reset_password": True})
    print(f"users: {len(existing)} existed, {len(missing)} created")
    no_email = call("res.users", "search", [("login", "in", list(wanted)), ("email", "=", False)])
    for user in call("res.users", "read", no_email, ["login"]):
        call("res.users", "write", [user["id"]], {"email": f"{user['login']}@load.example.com"})

    today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the province's day
    directive = call("hy.directive", "search", [("number", "=", DIRECTIVE_NUMBER)], limit=1)
    if not directive:
        directive = [
            call(
                "hy.directive",
                "create",
                {
                    "name": "Kế hoạch thử tải",
                    "number": DIRECTIVE_NUMBER,
                    "issue_date": today.isoformat(),
                    "signer": "Load test",
                    "authority": call("hy.directive", "fields_get", ["authority"])["authority"][
                        "selection"
                    ][0][0],
                    "summary": "Load scenario (tools/perf/load)",
                },
            )
        ]
    deadline = (today + datetime.timedelta(days=365)).isoformat()
    created = 0
    for unit in units:
        count = call(
            "hy.task",
            "search_count",
            [("directive_id", "=", directive[0]), ("lead_unit_id", "=", unit["id"])],
        )
        vals = [
            {
                "directive_id": directive[0],
                "lead_unit_id": unit["id"],
                "name": f"Nhiệm vụ thử tải {n + 1} của {unit['name']}",
                "deadline": deadline,
            }
            for n in range(count, args.tasks_per_unit)
        ]
        if vals:
            call("hy.task", "action_assign", call("hy.task", "create", vals))
            created += len(vals)
    print(f"tasks: {created} created on directive {DIRECTIVE_NUMBER}, {len(units)} units")
    if args.report_units:
        prepare_report(call, today, args.report_units, args.report_tasks)
    if args.sessions:
        logins = [*wanted, "chu_tich"]
        with ThreadPoolExecutor(3) as pool:  # a login costs ~0.3 s of CPU: a few at a time
            ids = pool.map(lambda user: open_session(args.url, args.db, user), logins)
            sessions = dict(zip(logins, ids, strict=True))
        Path(args.sessions).write_text(json.dumps(sessions, indent=0))
        print(f"sessions: {len(sessions)} written to {args.sessions}")
    print(f"prepared in {time.perf_counter() - start:.0f}s")


def prepare_report(call, today, unit_count, task_count):
    """An approved ad-hoc report over ``unit_count`` units of their own ("HY-LOAD-R…") and
    ``task_count`` assigned tasks, its files prepared by the job: what the leaders download."""
    title = "Báo cáo thử tải"
    if call("hy.report.period", "search", [("evaluation", "=", title)], limit=1):
        print("report: exists")
        return
    codes = [f"HY-LOAD-R{i:03d}" for i in range(unit_count)]
    found = call("hy.unit", "search_read", [("code", "in", codes)], ["code"])
    have = {unit["code"] for unit in found}
    missing = [
        {"name": f"Đơn vị thử tải {code[-3:]}", "code": code, "unit_type": "other"}
        for code in codes
        if code not in have
    ]
    if missing:
        call("hy.unit", "create", missing)
    units = call("hy.unit", "search", [("code", "in", codes)])
    directive = call(
        "hy.directive",
        "create",
        {
            "name": "Kế hoạch thử tải báo cáo",
            "number": f"HY-LOAD-R/{today.year}",
            "issue_date": today.isoformat(),
            "signer": "Load test",
            "authority": "province",
            "summary": "Load scenario: the report the leaders download (tools/perf/load)",
        },
    )
    deadline = (today + datetime.timedelta(days=200)).isoformat()
    for start in range(0, task_count, 500):
        vals = [
            {
                "directive_id": directive,
                "lead_unit_id": units[n % len(units)],
                "name": f"Nhiệm vụ báo cáo thử tải {n + 1}",
                "deadline": deadline,
            }
            for n in range(start, min(start + 500, task_count))
        ]
        call("hy.task", "action_assign", call("hy.task", "create", vals))
    period = call(
        "hy.report.period",
        "create",
        {
            "kind": "ad_hoc",
            "date_from": f"{today.year}-01-01",
            "date_to": today.isoformat(),
            "unit_ids": [(6, 0, units)],
            "authority_ids": [],
            "evaluation": title,
        },
    )
    call("hy.report.period", "action_compute", [period])
    call("hy.report.period", "action_approve", [period])
    # The approval triggers the files job: the server's scheduler runs it within a minute.
    for _attempt in range(120):
        state = call("hy.report.period", "read", [period], ["files_state"])[0]["files_state"]
        if state != "preparing":
            break
        time.sleep(5)
    print(f"report: {unit_count} units, {task_count} tasks, approved, files {state}")


def open_session(url, db, user, attempts=5):
    """The session id of a new login of ``user`` (password = login)."""
    jar = http.cookiejar.CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    body = {"jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": user,
            "password": user}}  # fmt: skip
    for attempt in range(attempts):
        try:
            request = Request(f"{url}/web/session/authenticate", json.dumps(body).encode(),
                              {"Content-Type": "application/json"})  # fmt: skip
            answer = json.loads(opener.open(request, timeout=120).read())
            if "result" in answer:
                return next(c.value for c in jar if c.name == "session_id")
        except OSError:
            if attempt == attempts - 1:
                raise
        time.sleep(2)
    raise RuntimeError(f"{user} cannot log in: {answer.get('error')}")


if __name__ == "__main__":
    main()
