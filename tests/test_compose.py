import shutil
import subprocess

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    not shutil.which("docker-compose"),
    reason="docker-compose is not installed (.ci/run installs it with apt-get)",
)


def compose(*args):
    cmd = ["docker-compose", "-f", "docker-compose.yml", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def test_compose_file_is_valid():
    result = compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_services():
    services = compose("--profile", "test", "config", "--services").stdout.split()
    assert sorted(services) == ["db", "odoo", "odoo-init", "tests"]


def test_postgres_runs_without_jit():
    """The settings the modules expect (README, "PostgreSQL settings")."""
    config = compose("config").stdout
    assert "jit=off" in config
