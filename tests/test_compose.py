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
    """The settings the modules expect (docs/operations.md, "PostgreSQL settings")."""
    config = compose("config").stdout
    assert "jit=off" in config


def test_compose_spec_without_version_and_a_tcp_healthcheck():
    """Compose v2 warns on `version`; PostgreSQL's init phase answers on its socket only."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert not any(line.startswith("version:") for line in text.splitlines())
    assert "pg_isready -h 127.0.0.1" in compose("config").stdout


def test_the_test_service_installs_only_what_it_runs():
    config = compose("--profile", "test", "config").stdout
    assert "requirements-test.txt" in config
    assert "requirements-dev.txt" not in config
