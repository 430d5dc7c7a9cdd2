"""tools/dev/run_tests.py reads Odoo 18's log: keep its patterns in step with the real lines."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

spec = importlib.util.spec_from_file_location("run_tests", ROOT / "tools" / "dev" / "run_tests.py")
run_tests = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_tests)

PREFIX = "2026-01-05 10:00:00,123 4242 {level} hy_test_1 {logger}: "


def test_summary_line_of_odoo_18():
    line = PREFIX.format(level="INFO", logger="odoo.tests.result")
    line += "1 failed, 2 error(s) of 7 tests when loading database 'hy_test_1'"
    assert run_tests.ODOO_SUMMARY.search(line).groups() == ("1", "2", "7")


def test_log_line_gives_level_and_logger():
    line = PREFIX.format(level="WARNING", logger="odoo.addons.hy_task_tracking.models.task")
    match = run_tests.LOG_LINE.match(line + "something odd")
    assert (match["level"], match["logger"]) == (
        "WARNING",
        "odoo.addons.hy_task_tracking.models.task",
    )
    assert match["logger"].startswith(run_tests.OWN_LOGGERS)


def test_missing_odoo_exits_2_with_install_hint(tmp_path):
    fake = tmp_path / "python-without-odoo"
    fake.write_text("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'odoo'\" >&2\nexit 1\n")
    fake.chmod(0o755)
    env = {**os.environ, "ODOO_PYTHON": str(fake)}
    cmd = [sys.executable, str(ROOT / "tools" / "dev" / "run_tests.py")]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Odoo 18 cannot be imported" in result.stderr
    assert "docker compose --profile test run --rm tests" in result.stderr


def _fake_odoo(tmp_path, lines):
    """A command that prints ``lines`` as Odoo would, for run_odoo to read."""
    log = tmp_path / "odoo.log"
    script = tmp_path / "lines.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["cat", str(script)], log


def _run_lines(tmp_path, *extra):
    info = PREFIX.format(level="INFO", logger="odoo.modules.loading") + "Module base: loading demo"
    summary = PREFIX.format(level="INFO", logger="odoo.tests.result")
    summary += "0 failed, 0 error(s) of 5 tests when loading database 'hy_test_1'"
    cmd, log = _fake_odoo(tmp_path, [info, *extra, summary])
    return run_tests.run_odoo(cmd, log)


def test_skipped_tests_are_counted_apart_from_the_passed_ones(tmp_path):
    tour = "odoo.addons.hy_task_tracking.tests.test_portal_tour"
    warning = (
        PREFIX.format(level="WARNING", logger=tour) + "websocket-client module is not installed"
    )
    skip = PREFIX.format(level="INFO", logger=tour)
    skip += f"skipped {tour}.TestPortalTour.test_tour : websocket-client module is not installed"
    chrome = PREFIX.format(level="INFO", logger=tour)
    chrome += f"skipped {tour}.TestPortalTour.test_other : Chrome executable not found"
    passed, failed, skipped, problems = _run_lines(tmp_path, warning, skip, chrome)
    assert (passed, failed, len(skipped), problems) == (3, 0, 2, [])


def test_a_test_skipped_for_another_reason_fails_the_run(tmp_path):
    line = PREFIX.format(level="INFO", logger="odoo.addons.hy_task_reports.tests.test_x")
    line += "skipped odoo.addons.hy_task_reports.tests.test_x.TestX.test_y : not ready"
    _passed, _failed, skipped, problems = _run_lines(tmp_path, line)
    assert len(skipped) == 1
    assert any("not an optional tool" in problem for problem in problems)


def _fake_benches(tmp_path, **bodies):
    """Scripts that stand for the benchmarks: each runs ``bodies[name]`` (Python)."""
    benches = {}
    for name, body in bodies.items():
        script = tmp_path / f"bench_{name}.py"
        script.write_text(f"import sys\n{body}\n", encoding="utf-8")
        benches[name] = str(script)
    return benches


def test_benches_end_with_one_line_of_their_figures(tmp_path, monkeypatch):
    monkeypatch.delenv("HY_SKIP_BENCH", raising=False)
    monkeypatch.delenv("HY_TEST_TAGS", raising=False)
    benches = _fake_benches(
        tmp_path,
        reports='print("seeded")\nprint("summary: compute 42 ms (25 queries)")',
        overview='print("summary: chairman 56 ms")',
    )
    line, problems = run_tests.run_benches(sys.executable, benches, tasks=10, units=2)
    assert problems == []
    assert line.startswith(
        "bench: ok (reports: compute 42 ms (25 queries); overview: chairman 56 ms; "
        "10 tasks, 2 units each, "
    )
    # CI reads "N passed, N failed" as the Odoo tests' count: the bench line never says so.
    assert not re.search(r"\d+ passed, \d+ failed", line)


def test_a_broken_bench_fails_the_run(tmp_path, monkeypatch):
    monkeypatch.delenv("HY_SKIP_BENCH", raising=False)
    monkeypatch.delenv("HY_TEST_TAGS", raising=False)
    benches = _fake_benches(
        tmp_path,
        reports='print("summary: compute 42 ms")',
        overview='raise SystemExit("null value in column deadline_rule")',
        aggregates='print("no figures")',
    )
    line, problems = run_tests.run_benches(sys.executable, benches, tasks=10, units=2)
    assert line == "bench: failed (overview, aggregates)"
    assert problems == [
        f"{benches['overview']} exited with status 1",
        f"{benches['aggregates']} printed no 'summary:' line",
    ]


def test_benches_are_skipped_on_request_and_for_selected_tests(tmp_path, monkeypatch):
    benches = _fake_benches(tmp_path, reports="sys.exit(1)")
    monkeypatch.setenv("HY_SKIP_BENCH", "1")
    assert run_tests.run_benches(sys.executable, benches) == (
        "bench: not run (HY_SKIP_BENCH=1)",
        [],
    )
    monkeypatch.delenv("HY_SKIP_BENCH")
    monkeypatch.setenv("HY_TEST_TAGS", "/hy_task_reports")
    assert run_tests.run_benches(sys.executable, benches) == (
        "bench: not run (HY_TEST_TAGS set)",
        [],
    )


def test_every_bench_runs_in_make_test_and_prints_its_summary():
    scripts = {p.name for p in (ROOT / "tools" / "perf").glob("bench_*.py")} - {"bench_common.py"}
    assert {Path(path).name for path in run_tests.BENCHES.values()} == scripts
    for path in run_tests.BENCHES.values():
        assert 'f"summary: ' in (ROOT / path).read_text(encoding="utf-8"), path
