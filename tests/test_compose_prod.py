"""The production profile (docker-compose.prod.yml and its config/ files): what a deployer
relies on, checked without a container engine."""

import configparser
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

yaml = pytest.importorskip("yaml")

COMPOSE = ROOT / "docker-compose.prod.yml"
ODOO_CONF = ROOT / "config" / "odoo-prod.conf"
NGINX_LOCATIONS = ROOT / "config" / "nginx" / "odoo-locations.conf"
PG_CONF = ROOT / "config" / "postgres" / "postgresql-prod.conf"


@pytest.fixture(scope="module")
def services():
    # safe_load resolves the YAML anchors and merge keys (<<) as Compose does.
    return yaml.safe_load(COMPOSE.read_text())["services"]


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser()
    parser.read(ODOO_CONF)
    return parser["options"]


def command(service):
    cmd = service.get("command", [])
    return cmd if isinstance(cmd, list) else cmd.split()


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_file_is_valid():
    cmd = ["docker-compose", "-f", COMPOSE.name, "config", "-q"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_official_images(services):
    images = {name: service["image"] for name, service in services.items()}
    assert images["db"] == images["db-replica"] == images["backup"] == "postgres:16"
    # the official odoo:18.0 with requirements.txt on top (Dockerfile), built by compose
    assert images["odoo"] == images["odoo-cron"] == images["odoo-init"] == "hy-odoo:18.0"
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM odoo:18.0" in dockerfile and "requirements.txt" in dockerfile
    assert images["nginx"].split(":")[0] == "nginx"


def test_every_service_has_a_healthcheck(services):
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check, f"{name} has no healthcheck"
        if check.get("disable"):
            # only a one-shot job may go without one: nothing waits for it to be healthy
            assert service.get("restart") == "no", f"{name} disables its healthcheck"
        else:
            assert check["test"], name


def test_no_demo_data_and_no_database_manager(odoo_conf, services):
    assert odoo_conf["without_demo"] == "all"
    assert odoo_conf["list_db"] == "False"
    assert re.fullmatch(r"\^\w+\$", odoo_conf["dbfilter"]), "one database, no selector"
    init = (ROOT / "tools" / "ops" / "prod" / "init-db.sh").read_text()
    assert "--without-demo=all" in init


def test_no_password_in_the_repository(odoo_conf, services):
    assert "admin_passwd" not in odoo_conf, "the master password comes from a secret"
    assert "db_password" not in odoo_conf, "the database password comes from a secret"
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key or "PASSWD" in key:
                assert key.endswith("_FILE"), f"{name}: {key} is a literal"
                assert str(value).startswith("/run/secrets/"), f"{name}: {key}"
    secrets = yaml.safe_load(COMPOSE.read_text())["secrets"]
    assert all(secret["file"].startswith("${HY_SECRETS_DIR") for secret in secrets.values())
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/secrets/" in ignored and "/backups/" in ignored


def test_scheduled_jobs_only_in_the_cron_container(odoo_conf, services):
    assert odoo_conf["max_cron_threads"] == "0", "web containers run no scheduled job"
    assert not any("cron" in arg for arg in command(services["odoo"]))
    cron = command(services["odoo-cron"])
    threads = [int(a.split("=")[1]) for a in cron if a.startswith("--max-cron-threads=")]
    assert threads and threads[0] > 0
    assert "--no-http" in cron


def test_prefork_workers_with_limits(odoo_conf):
    assert int(odoo_conf["workers"]) > 0
    entrypoint = (ROOT / "tools" / "ops" / "prod" / "odoo-entrypoint.sh").read_text()
    assert "$(nproc) * 2 + 1" in entrypoint, "workers from the CPUs, as Odoo's guide says"
    soft, hard = int(odoo_conf["limit_memory_soft"]), int(odoo_conf["limit_memory_hard"])
    assert 0 < soft < hard
    assert int(odoo_conf["limit_time_cpu"]) > 0 < int(odoo_conf["limit_time_real"])
    assert odoo_conf["proxy_mode"] == "True"
    assert odoo_conf["gevent_port"] == "8072"


def test_read_only_work_goes_to_the_replica(odoo_conf, services):
    assert odoo_conf["db_replica_host"] == "db-replica"
    assert "pg_basebackup" in (ROOT / "tools" / "ops" / "prod" / "pg-replica.sh").read_text()
    assert "pg_is_in_recovery" in str(services["db-replica"]["healthcheck"]["test"])


def test_postgres_settings():
    settings = dict(
        re.match(r"(\w+)\s*=\s*(\S+)", line).groups()
        for line in PG_CONF.read_text().splitlines()
        if re.match(r"\w+\s*=", line)
    )
    assert settings["jit"] == "off"
    assert settings["wal_level"] == "replica"
    assert settings["hot_standby"] == "on"


def test_nginx_proxies_odoo(services):
    conf = NGINX_LOCATIONS.read_text()
    assert re.search(r"location /websocket \{\s*proxy_pass http://odoochat;", conf)
    assert "server odoo:8072;" in (ROOT / "config" / "nginx" / "odoo.conf").read_text()
    assert "X-Forwarded-Proto" in conf and "gzip on;" in conf
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size[1]) >= 50, "a progress update may carry 5 files of 10 MB"
