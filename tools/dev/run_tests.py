#!/usr/bin/env python3
"""Run our addons' Odoo tests on a fresh database, then the fast checks in tests/.

Usage: python3 tools/dev/run_tests.py        (what `make test` runs)

Environment:
  ODOO_PYTHON   interpreter that imports Odoo 18 (default: python3)
  HY_ODOO_CONF  Odoo config file (default: config/odoo-local.conf, to which
                --addons-path and --data-dir are added here)
  HY_TEST_TAGS  value of --test-tags (default: /hy_task_tracking,/hy_task_reports)
  HY_KEEP_DB=1  keep the test database (and its filestore) for debugging
  HY_LOG_DIR    directory of the Odoo log file (default: var/log)
  HY_SKIP_UPGRADE=1  skip the upgrade check (tools/dev/check_upgrade.py), which also runs
                unless HY_TEST_TAGS selects tests
  HY_SKIP_BENCH=1  skip the benchmarks (tools/perf/bench_*.py), which then run at small scale
                (each on its own scratch database) unless HY_TEST_TAGS selects tests, so
                that a broken benchmark fails the run
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE, STDOUT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/: odoo_env

from odoo_env import ROOT, OdooMissing, addons_path, free_port

MODULES = "hy_task_tracking,hy_task_reports"
OWN_LOGGERS = tuple(f"odoo.addons.{m}" for m in MODULES.split(","))
LOCAL_CONF = ROOT / "config" / "odoo-local.conf"

MISSING = """ERROR: Odoo 18 cannot be imported by `{py}` ({why}).
Install Odoo 18.0 from upstream, then run `make test` again:
  * Docker: the official odoo:18.0 image runs this suite with
      docker compose --profile test run --rm tests
  * From source: follow
      https://www.odoo.com/documentation/18.0/administration/on_premise/source.html
    (clone Odoo 18.0, `pip install -r requirements.txt` of Odoo), make sure
    `{py} -c "import odoo"` works, or point ODOO_PYTHON at an interpreter that does."""

# Odoo's log format: "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): ")
# Logged by odoo.tests.result once all tests of the database have run.
ODOO_SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)\b")
# Logged by odoo.tests.result for each skipped test: "skipped <test> : <reason>".
ODOO_SKIP = re.compile(r": skipped (?P<test>\S+.*?) : (?P<reason>.*)$")
# Prerequisites README.md calls optional: a test skipped for want of one is counted and
# shown, not failed. A test skipped for any other reason fails the run.
OPTIONAL = ("chrome", "websocket-client", "wkhtmltopdf")
# Odoo's browser helper warns before skipping when websocket-client is missing.
OPTIONAL_WARNINGS = ("websocket-client module is not installed",)
# The benchmarks, by the name the summary line gives them, at the scale make test runs them.
BENCHES = {
    "reports": "tools/perf/bench_reports.py",
    "overview": "tools/perf/bench_overview.py",
    "aggregates": "tools/perf/bench_aggregates.py",
    "nightly": "tools/perf/bench_nightly.py",
}
BENCH_TASKS, BENCH_UNITS = 1000, 20


def probe_odoo(py):
    """Return Odoo's addons path for `py`, or exit 2 saying how to install Odoo 18."""
    try:
        return addons_path(py)
    except OdooMissing as exc:
        print(MISSING.format(py=py, why=exc), file=sys.stderr)
        sys.exit(2)


def ensure_postgres():
    """Start the local PostgreSQL clusters if they are installed here but down."""
    if shutil.which("pg_ctlcluster") and subprocess.call(["pg_isready", "-q"]) != 0:
        for version_dir in sorted(Path("/etc/postgresql").glob("*/*")):
            version, cluster = version_dir.parent.name, version_dir.name
            subprocess.call(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"]
            )


def run_odoo(cmd, log_path):
    """Run Odoo, echo and save its log; return (passed, failed, skipped, problems)."""
    problems, tests, failed, skipped, demo = [], 0, 0, [], False
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=PIPE, stderr=STDOUT, text=True)
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
            demo = demo or "Module base: loading demo" in line
            if summary := ODOO_SUMMARY.search(line):
                failed = int(summary[1]) + int(summary[2])
                tests = int(summary[3])
            if not (match := LOG_LINE.match(line)):
                continue
            level, logger = match["level"], match["logger"]
            if skip := ODOO_SKIP.search(line):
                skipped.append((skip["test"], skip["reason"].strip()))
            if level in ("ERROR", "CRITICAL") or (
                level == "WARNING"
                and logger.startswith(OWN_LOGGERS)
                and not any(text in line for text in OPTIONAL_WARNINGS)
            ):
                problems.append(line.rstrip())
    if rc := proc.wait():
        problems.append(f"Odoo exited with status {rc}")
    if not tests:
        problems.append("Odoo ran no test (no '... of N tests' summary line)")
    if not demo:
        problems.append("demo data was not loaded (no 'Module base: loading demo' line)")
    for test, reason in skipped:
        if not any(word in reason.lower() for word in OPTIONAL):
            problems.append(f"skipped for a reason that is not an optional tool: {test}: {reason}")
    return tests - failed - len(skipped), failed, skipped, problems


def run_pytest():
    """Run the fast checks; return (passed, failed, skipped, problems)."""
    cmd = [sys.executable, "-m", "pytest", "tests/", "-q"]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=PIPE, stderr=STDOUT, text=True, check=False)
    sys.stdout.write(proc.stdout)
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    for number, word in PYTEST_COUNT.findall(last):
        counts[word.rstrip("s") if word.startswith("error") else word] += int(number)
    problems = [f"pytest exited with status {proc.returncode}"] if proc.returncode else []
    if proc.returncode == 5 or not counts["passed"] + counts["failed"]:
        problems.append("pytest ran no test")
    return counts["passed"], counts["failed"] + counts["error"], counts["skipped"], problems


def main():
    py = os.environ.get("ODOO_PYTHON", "python3")
    conf = Path(os.environ.get("HY_ODOO_CONF", LOCAL_CONF)).resolve()
    addons_path = probe_odoo(py)
    ensure_postgres()

    db = f"hy_test_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    conf_args = ["-c", str(conf)]
    if conf == LOCAL_CONF.resolve():
        conf_args += [f"--addons-path={addons_path}", f"--data-dir={ROOT / 'var' / 'odoo'}"]
    log_dir = Path(os.environ.get("HY_LOG_DIR", ROOT / "var" / "log"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{db}.log"
    tags = os.environ.get("HY_TEST_TAGS", "/hy_task_tracking,/hy_task_reports")
    cmd = [py, "-m", "odoo", *conf_args, "-d", db, "-i", MODULES, f"--test-tags={tags}"]
    cmd += ["--stop-after-init", f"--http-port={free_port()}", "--log-level=info"]
    print("$", " ".join(cmd), flush=True)
    start = time.time()
    try:
        passed, failed, skipped, problems = run_odoo(cmd, log_path)
    finally:
        if os.environ.get("HY_KEEP_DB") == "1":
            print(f"HY_KEEP_DB=1: keeping database {db}")
        else:  # Odoo's own `db drop` also removes the filestore
            drop = [py, "-m", "odoo", "db", *conf_args, "drop", db]
            out = subprocess.run(drop, capture_output=True, text=True, check=False)
            why = (out.stderr.strip().splitlines() or ["?"])[-1]
            print(f"dropped database {db}" if out.returncode == 0 else f"not dropped: {why}")
    print(f"Odoo part took {time.time() - start:.0f}s; log: {log_path}")

    py_passed, py_failed, py_skipped, py_problems = run_pytest()
    upgrade, upgrade_problems = run_upgrade_check(py)
    bench, bench_problems = run_benches(py)
    for problem in problems + py_problems + upgrade_problems + bench_problems:
        print("FAILED:", problem)
    for test, reason in skipped:
        print(f"skipped: {test} ({reason})")
    odoo_skipped = f", {len(skipped)} skipped" if skipped else ""
    print(f"odoo: {passed} passed, {failed} failed{odoo_skipped}")
    py_skipped = f", {py_skipped} skipped" if py_skipped else ""
    print(f"pytest: {py_passed} passed, {py_failed} failed{py_skipped}")
    print(upgrade)
    print(bench)
    return 1 if problems or py_problems or upgrade_problems or bench_problems else 0


def run_upgrade_check(py):
    """tools/dev/check_upgrade.py: a database of the commit before the task ledger, upgraded.

    Returns its summary line and the problems. Skipped (HY_SKIP_UPGRADE=1, or a clone without
    that commit) is said on the summary line, not hidden.
    """
    if os.environ.get("HY_SKIP_UPGRADE") == "1" or os.environ.get("HY_TEST_TAGS"):
        return "upgrade: not run (HY_SKIP_UPGRADE=1 or HY_TEST_TAGS set)", []
    env = dict(os.environ, ODOO_PYTHON=py)
    cmd = [sys.executable, str(ROOT / "tools" / "dev" / "check_upgrade.py")]
    proc = subprocess.run(cmd, stdout=PIPE, stderr=STDOUT, text=True, env=env, check=False)
    sys.stdout.write(proc.stdout)
    summary = next(
        (line for line in reversed(proc.stdout.splitlines()) if line.startswith("upgrade:")),
        "upgrade: no summary line",
    )
    if proc.returncode in (0, 2):  # 2: could not run here (e.g. a shallow clone): said above
        return summary, []
    return summary, [f"upgrade check exited with status {proc.returncode}"]


def run_benches(py, benches=BENCHES, tasks=BENCH_TASKS, units=BENCH_UNITS):
    """Every benchmark at small scale, one after the other, so that a broken one fails the run.

    Returns the summary line, "bench: ok (<name>: <the figures of its "summary:" line>; ...)",
    and the problems: a benchmark that exits non-zero or prints no "summary:" line.
    """
    if os.environ.get("HY_SKIP_BENCH") == "1":
        return "bench: not run (HY_SKIP_BENCH=1)", []
    if os.environ.get("HY_TEST_TAGS"):
        return "bench: not run (HY_TEST_TAGS set)", []
    env = dict(os.environ, ODOO_PYTHON=py)
    start = time.time()
    figures, failed, problems = [], [], []
    for name, script in benches.items():
        cmd = [py, str(ROOT / script), "--tasks", str(tasks), "--units", str(units)]
        print("$", " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, stdout=PIPE, stderr=STDOUT, text=True, env=env, check=False)
        sys.stdout.write(proc.stdout)
        summary = next(
            (
                line.removeprefix("summary:").strip()
                for line in reversed(proc.stdout.splitlines())
                if line.startswith("summary:")
            ),
            None,
        )
        if proc.returncode:
            problems.append(f"{script} exited with status {proc.returncode}")
        elif summary is None:
            problems.append(f"{script} printed no 'summary:' line")
        else:
            figures.append(f"{name}: {summary}")
            continue
        failed.append(name)
    if failed:
        return f"bench: failed ({', '.join(failed)})", problems
    figures.append(f"{tasks} tasks, {units} units each, {time.time() - start:.0f}s")
    return f"bench: ok ({'; '.join(figures)})", []


if __name__ == "__main__":
    sys.exit(main())
