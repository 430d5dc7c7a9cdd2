"""tools/run_tests.py reads Odoo 18's log: keep its patterns in step with the real lines."""

import importlib.util
import os
import subprocess
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("run_tests", ROOT / "tools" / "run_tests.py")
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
    cmd = [sys.executable, str(ROOT / "tools" / "run_tests.py")]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Odoo 18 cannot be imported" in result.stderr
    assert "docker compose --profile test run --rm tests" in result.stderr
