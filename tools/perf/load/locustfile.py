"""Load scenario: unit users on the portal, Office officers and the leadership in the backend.

    python3 -m venv /tmp/locust-venv
    /tmp/locust-venv/bin/pip install -r tools/perf/load/requirements.txt
    python3 tools/perf/load/prepare.py --url http://127.0.0.1:8175 --db hy16_demo   # once
    /tmp/locust-venv/bin/locust -f tools/perf/load/locustfile.py --headless --hy-db hy16_demo \
        -H http://127.0.0.1:8175 --users 212 --spawn-rate 1 --run-time 9m --reset-stats \
        --only-summary

HY_LOAD_SESSIONS=<file of prepare.py --sessions>: the users come back with the session of an
earlier visit (a browser keeps it for days) instead of all logging in within minutes; then
--spawn-rate 10 and --run-time 5m30s --reset-stats measure 5 minutes of work.
Without it, --spawn-rate 1 --reset-stats: the users log in one a second (a login hashes the
password: ~0.3 s of CPU), and the figures per endpoint cover the 5+ minutes after the last login;
the summary adds the whole run's requests and failures, logins included.

Users (the unit users take what --users leaves after the fixed counts; HY_LOAD_UNIT_WAIT="15,45"
is their think time in seconds, min,max):
- unit users (hy_load_u000...): list /my/hy_tasks, open a task, post progress with a PDF,
  now and then post the same form twice (a double click) or ask for a deadline extension;
- HY_LOAD_OFFICERS (default 10) Office officers (hy_load_officer00...): kanban
  (web_read_group + web_search_read), pivot (read_group), approve pending extension requests;
- HY_LOAD_LEADERS (default 2) leaders (chu_tich): the overview
  (hy.task.overview.get_overview), an approved report's PDF and XLSX (the stored files).

At the end it prints requests, failures, p50/p95 per endpoint, which app server answered
(nginx's X-Hy-Upstream header, when there is one), and checks that every progress update
the server acknowledged (303) is stored exactly once: each note carries a unique token,
counted afterwards through JSON-RPC as admin. Exit status 1 on any failure or mismatch.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import requests
from locust import HttpUser, between, events, task

RUN = uuid.uuid4().hex[:8]  # tells this run's tokens from earlier runs'
TOKEN_PREFIX = f"hy-load-{RUN}-"
ACKNOWLEDGED = set()  # tokens of updates answered 303
UPSTREAMS = Counter()
ALL_REQUESTS = Counter()  # (name, failed) -> count, over the whole run
SESSIONS_FILE = os.environ.get("HY_LOAD_SESSIONS")
# login -> session id
SESSIONS = json.loads(Path(SESSIONS_FILE).read_text()) if SESSIONS_FILE else {}
BUSINESS = Counter()  # refusals that are the application's rules, not failures
UNIT_LOGINS = (f"hy_load_u{i:03d}" for i in itertools.count())
OFFICER_LOGINS = (f"hy_load_officer{i:02d}" for i in itertools.count())
TASK_LINK = re.compile(r'href="/my/hy_tasks/(\d+)')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_key" value="([0-9a-f]+)"')
EXTENSION_MIN = re.compile(r'name="new_deadline"[^>]*min="(\d{4}-\d\d-\d\d)"')


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--hy-db", default=os.environ.get("HY_LOAD_DB", "hy16_demo"))


@events.request.add_listener
def _count(name, response=None, exception=None, **kwargs):
    # Counted here too: --reset-stats clears locust's own figures once every user is logged
    # in, and a failure before that must still fail the run.
    ALL_REQUESTS[name, bool(exception)] += 1
    upstream = response is not None and response.headers.get("X-Hy-Upstream")
    if upstream:
        UPSTREAMS[upstream] += 1


class OdooUser(HttpUser):
    abstract = True
    login = None

    def on_start(self):
        self.db = self.environment.parsed_options.hy_db
        # A session of an earlier visit (prepare.py --sessions), as a browser keeps its
        # cookie for days: checked once, replaced by a login when Odoo no longer knows it.
        session = SESSIONS.get(self.login)
        if session:
            self.client.cookies.set("session_id", session)
            info = self.rpc("/web/session/get_session_info", {}, name="session check",
                            expected_errors=("odoo.http.SessionExpiredException",))  # fmt: skip
            if info and info.get("username") == self.login:
                return
            self.client.cookies.clear()
        self.rpc("/web/session/authenticate", {"db": self.db, "login": self.login,
                 "password": self.login}, name="login")  # fmt: skip

    def rpc(self, path, params, name=None, expected_errors=()):
        """A JSON-RPC call; an error answer is a failure unless its exception is expected."""
        body = {"jsonrpc": "2.0", "method": "call", "params": params}
        with self.client.post(path, json=body, name=name or path, catch_response=True) as resp:
            try:
                answer = resp.json()
            except (ValueError, requests.JSONDecodeError):
                resp.failure(f"not JSON: HTTP {resp.status_code}")
                return None
            error = answer.get("error")
            if not error:
                return answer["result"]
            data = error.get("data", {})
            message = data.get("message", "") or error.get("message", "")
            # By exception class: the message is in the user's language (vi_VN).
            if data.get("name") in expected_errors:
                BUSINESS[f"{name}: {data['name']}"] += 1
                resp.success()
                return None
            resp.failure(message[:200])
            return None

    def call(self, model, method, *args, name=None, expected_errors=(), **kwargs):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            params,
            name=name or f"{model}.{method}",
            expected_errors=expected_errors,
        )


class UnitUser(OdooUser):
    """A unit's member on the portal: mostly reads, posts progress every few minutes."""

    weight = 1
    # A member reads a page, writes a report, attaches a file: tens of seconds between two
    # clicks. 200 of them then send ~7 requests/s, officers and leaders ~3 more.
    wait_time = between(*map(float, os.environ.get("HY_LOAD_UNIT_WAIT", "15,45").split(",")))

    def on_start(self):
        self.login = next(UNIT_LOGINS)
        super().on_start()
        self.task_ids = []  # not "tasks": locust keeps the user's task list there
        self.list_tasks()

    @task(3)
    def list_tasks(self):
        response = self.client.get("/my/hy_tasks", name="/my/hy_tasks")
        self.task_ids = sorted(set(TASK_LINK.findall(response.text))) or self.task_ids

    @task(3)
    def open_task(self):
        self.open_page()

    def open_page(self):
        if not self.task_ids:
            return None, None
        task_id = random.choice(self.task_ids)
        response = self.client.get(f"/my/hy_tasks/{task_id}", name="/my/hy_tasks/[id]")
        return task_id, response.text

    @task(2)
    def post_progress(self):
        task_id, page = self.open_page()
        if not page or f"/my/hy_tasks/{task_id}/update" not in page:
            return  # not open for updates (done, returned...): nothing to post
        token = f"{TOKEN_PREFIX}{uuid.uuid4().hex}"
        form = {
            "csrf_token": CSRF.search(page)[1],
            "submission_key": SUBMISSION.search(page)[1],
            "progress": str(random.randint(1, 99)),
            "note": f"Báo cáo tiến độ (thử tải) {token}",
        }
        # A small, distinct PDF each time: the filestore grows as in real use.
        pdf = b"%PDF-1.4\n% " + token.encode() + b"\n%%EOF\n"
        # One post in ten is sent twice, as a double click does: still stored once.
        for attempt in range(2 if random.random() < 0.1 else 1):
            name = "POST /my/hy_tasks/[id]/update" + (" (again)" if attempt else "")
            with self.client.post(
                f"/my/hy_tasks/{task_id}/update",
                data=form,
                files={"attachments": ("tien-do.pdf", pdf, "application/pdf")},
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as resp:
                if resp.status_code == 303:
                    ACKNOWLEDGED.add(token)
                    resp.success()
                elif resp.status_code == 422 and "o_hy_form_update" in resp.text:
                    BUSINESS["update refused by a rule"] += 1  # e.g. the task closed meanwhile
                    resp.success()
                else:
                    resp.failure(f"HTTP {resp.status_code}")

    @task(1)
    def ask_extension(self):
        task_id, page = self.open_page()
        if not page or f"/my/hy_tasks/{task_id}/extension" not in page:
            return  # not the lead unit, or a request is already pending
        minimum = EXTENSION_MIN.search(page)
        form = {
            "csrf_token": CSRF.search(page)[1],
            "new_deadline": minimum[1],
            "reason": "Cần thêm thời gian (thử tải)",
        }
        with self.client.post(
            f"/my/hy_tasks/{task_id}/extension",
            data=form,
            name="POST /my/hy_tasks/[id]/extension",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code == 303:
                resp.success()
            elif resp.status_code == 422:
                # Another member of the unit asked first, or an officer extended meanwhile.
                BUSINESS["extension refused by a rule"] += 1
                resp.success()
            else:
                resp.failure(f"HTTP {resp.status_code}")


class OfficerUser(OdooUser):
    """An Office officer in the backend: the kanban, the pivot, deciding extensions."""

    # Read when locust imports the file: its runner counts fixed users before any event.
    fixed_count = int(os.environ.get("HY_LOAD_OFFICERS", "10"))
    wait_time = between(5, 15)
    KANBAN_FIELDS = {
        "reference": {},
        "title": {},
        "deadline": {},
        "state": {},
        "status_category": {},
        "progress": {},
        "lead_unit_id": {"fields": {"display_name": {}}},
    }

    def on_start(self):
        self.login = next(OFFICER_LOGINS)
        super().on_start()

    @task(4)
    def kanban(self):
        domain = [("state", "not in", ["draft", "cancelled"])]
        self.call(
            "hy.task",
            "web_read_group",
            domain,
            ["status_category"],
            ["status_category"],
            name="kanban web_read_group",
        )
        self.call(
            "hy.task",
            "web_search_read",
            domain,
            self.KANBAN_FIELDS,
            limit=40,
            order="deadline",
            name="kanban web_search_read",
        )

    @task(2)
    def pivot(self):
        self.call(
            "hy.task",
            "read_group",
            [],
            ["__count"],
            ["lead_unit_id", "status_category"],
            lazy=False,
            name="pivot read_group",
        )

    @task(2)
    def approve_extension(self):
        pending = self.call(
            "hy.task.extension",
            "search_read",
            [("state", "=", "requested")],
            ["id"],
            limit=5,
            name="extensions to decide",
        )
        if pending:
            extension = random.choice(pending)["id"]
            params = {
                "model": "hy.task.extension",
                "method": "action_approve",
                "args": [[extension]],
                "kwargs": {},
            }
            self.rpc(
                "/web/dataset/call_button/hy.task.extension/action_approve",
                params,
                name="approve extension",
                # Two officers on the same request: the second one is told that it was
                # already decided (a UserError), as in the web client.
                expected_errors=("odoo.exceptions.UserError",),
            )


class LeaderUser(OdooUser):
    """The leadership: the overview screen, now and then a report's PDF."""

    fixed_count = int(os.environ.get("HY_LOAD_LEADERS", "2"))
    wait_time = between(20, 60)
    login = "chu_tich"

    @task(4)
    def overview(self):
        self.call("hy.task.overview", "get_overview", name="overview get_overview")

    def _approved_report(self):
        """The approved reports, the largest (prepare.py's) among them: their files."""
        domain = [("state", "in", ["approved", "published"]), ("files_state", "=", "ready")]
        periods = self.call("hy.report.period", "search", domain, name="report periods")
        return random.choice(periods) if periods else None

    @task(1)
    def report_pdf(self):
        period = self._approved_report()
        if period:
            with self.client.get(
                f"/report/pdf/hy_task_reports.report_hy_report_period/{period}",
                name="report PDF",
                catch_response=True,
            ) as resp:
                if (resp.content or b"")[:5] == b"%PDF-":
                    resp.success()
                else:
                    resp.failure(f"not a PDF: HTTP {resp.status_code}")

    @task(1)
    def report_xlsx(self):
        period = self._approved_report()
        if period:
            with self.client.get(
                f"/hy_task_reports/period/{period}/xlsx", name="report XLSX", catch_response=True
            ) as resp:
                if (resp.content or b"")[:2] == b"PK":
                    resp.success()
                else:
                    resp.failure(f"not an XLSX: HTTP {resp.status_code}")


def _stored_tokens(environment):
    """How many stored updates carry each token of this run (admin, through JSON-RPC)."""
    session = requests.Session()
    base = environment.host
    db = environment.parsed_options.hy_db

    def post(path, params):
        body = {"jsonrpc": "2.0", "method": "call", "params": params}
        answer = session.post(f"{base}{path}", json=body, timeout=300).json()
        if "error" in answer:
            raise RuntimeError(json.dumps(answer["error"])[:500])
        return answer["result"]

    password = os.environ.get("HY_ADMIN_PASSWORD", "admin")
    post("/web/session/authenticate", {"db": db, "login": "admin", "password": password})
    rows = post(
        "/web/dataset/call_kw/hy.task.update/search_read",
        {
            "model": "hy.task.update",
            "method": "search_read",
            "args": [[("note", "like", TOKEN_PREFIX)], ["note"]],
            "kwargs": {},
        },
    )
    pattern = re.compile(re.escape(TOKEN_PREFIX) + r"[0-9a-f]{32}")
    return Counter(pattern.search(row["note"])[0] for row in rows)


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats
    print(f"\n=== hy load summary (run {RUN}) ===")
    print(f"{'endpoint':<42} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(
            f"{entry.name[:42]:<42} {entry.num_requests:>8} {entry.num_failures:>8} "
            f"{entry.get_response_time_percentile(0.5):>7.0f} "
            f"{entry.get_response_time_percentile(0.95):>7.0f}"
        )
    total = stats.total
    print(
        f"{'TOTAL':<42} {total.num_requests:>8} {total.num_failures:>8} "
        f"{total.get_response_time_percentile(0.5):>7.0f} "
        f"{total.get_response_time_percentile(0.95):>7.0f}"
    )
    print(f"throughput: {total.total_rps:.1f} requests/s")
    whole = sum(ALL_REQUESTS.values())
    whole_failed = sum(n for (_name, failed), n in ALL_REQUESTS.items() if failed)
    logins = ALL_REQUESTS["login", False] + ALL_REQUESTS["login", True]
    print(
        f"whole run, ramp-up included: {whole} requests, {whole_failed} failures "
        f"({logins} logins, {ALL_REQUESTS['login', True]} failed)"
    )
    for message, count in sorted(BUSINESS.items()):
        print(f"handled by the application's rules: {message}: {count}")
    for upstream, count in sorted(UPSTREAMS.items()):
        print(f"answered by app server {upstream}: {count}")
    for error in stats.errors.values():
        print(f"failure: {error.name}: {error.error} x{error.occurrences}")

    time.sleep(5)  # search_read is served by the replica when there is one: let it catch up
    stored = _stored_tokens(environment)
    lost = [t for t in ACKNOWLEDGED if stored[t] == 0]
    doubled = [t for t in stored if stored[t] > 1]
    unacknowledged = [t for t in stored if t not in ACKNOWLEDGED]
    print(
        f"exactly-once: {len(ACKNOWLEDGED)} updates acknowledged, "
        f"{sum(1 for t in ACKNOWLEDGED if stored[t] == 1)} stored once, {len(lost)} lost, "
        f"{len(doubled)} stored more than once, {len(unacknowledged)} stored without an "
        f"acknowledgement (request cut short)"
    )
    ok = not (whole_failed or lost or doubled)
    print("result: " + ("OK" if ok else "FAILED"))
    if not ok:
        environment.process_exit_code = 1
