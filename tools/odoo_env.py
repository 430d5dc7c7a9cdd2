#!/usr/bin/env python3
"""Odoo 18 on this machine, as the scripts of tools/ use it: where its addons are, a scratch
database, a local server, and a JSON-RPC session as the web client opens one.

The scripts of tools/dev/ and tools/perf/ import it (they put tools/ on sys.path). The shell
scripts run it: `python3 tools/odoo_env.py` prints Odoo's addons directories, comma-separated
(exit status 2, and why on stderr, when that interpreter does not import Odoo 18).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Filestores and request logs: var/ of this checkout, or a temporary directory when the
# checkout is read-only (the Docker test service mounts it so).
VAR_DIR = ROOT / "var" if os.access(ROOT, os.W_OK) else Path(tempfile.gettempdir()) / "hy_bench"
DATA_DIR = VAR_DIR / "odoo"
LOG_DIR = VAR_DIR / "log"
# Prints Odoo's major version, then its addons directories (a source checkout keeps web,
# mail, ... in <checkout>/addons, next to the odoo package).
PROBE = """import os, odoo, odoo.addons, odoo.release
root = os.path.dirname(os.path.dirname(odoo.__file__))
dirs = [*odoo.addons.__path__, os.path.join(root, "addons")]
print(odoo.release.version_info[0])
print(",".join(d for d in dirs if any(os.path.isdir(f"{d}/{m}") for m in ("base", "web"))))"""


class OdooMissing(Exception):
    """The interpreter does not import Odoo 18; the message says why."""


def odoo_dirs(py):
    """Odoo's own addons directories (comma-separated) for the interpreter ``py``."""
    try:
        out = subprocess.run([py, "-c", PROBE], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise OdooMissing(str(exc)) from None
    if out.returncode:
        raise OdooMissing((out.stderr.strip().splitlines() or ["import failed"])[-1])
    version, dirs = out.stdout.rstrip("\n").split("\n")[-2:]
    if version != "18":
        raise OdooMissing(f"it has Odoo {version}")
    return dirs


def addons_path(py):
    """Our addons, then Odoo's: the --addons-path for the interpreter ``py``."""
    return f"{ROOT / 'addons'},{odoo_dirs(py)}"


def odoo_addons_path(script):
    """``addons_path`` for the interpreter that imports Odoo (ODOO_PYTHON, default this one);
    re-executes ``script`` with that interpreter when it is another one."""
    py = os.environ.pop("ODOO_PYTHON", "") or sys.executable
    py = shutil.which(py) or py  # execv does not search the PATH (ODOO_PYTHON=python3)
    if os.path.abspath(py) != os.path.abspath(sys.executable):
        # Once: without ODOO_PYTHON, the new process keeps the interpreter it runs on.
        os.execv(py, [py, script, *sys.argv[1:]])
    try:
        return addons_path(py)
    except OdooMissing as exc:
        raise SystemExit(f"Odoo 18 cannot be imported by {py} ({exc}); see README.md") from None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(addons_path, db, *args):
    return [sys.executable, "-m", "odoo", f"--addons-path={addons_path}"] + [
        f"--data-dir={DATA_DIR}",
        "-d",
        db,
        *args,
    ]


@contextmanager
def scratch_database(addons_path, db, module, keep=False, demo=False):
    """A new database with ``module`` installed (without demo data unless ``demo``);
    dropped afterwards."""
    subprocess.run(["createdb", db], check=True)
    try:
        start = time.perf_counter()
        install = ["-i", module, "--stop-after-init", "--log-level=warn"]
        install.append("--without-demo=" + ("" if demo else "all"))
        install.append(f"--http-port={free_port()}")
        subprocess.run(odoo_command(addons_path, db, *install), check=True)
        print(f"installed {module} in {time.perf_counter() - start:.0f}s")
        yield db
    finally:
        if keep:
            print(f"kept database {db}")
        else:
            drop = [sys.executable, "-m", "odoo", "db", f"--addons-path={addons_path}"]
            drop += [f"--data-dir={DATA_DIR}", "drop", db]
            subprocess.run(drop, check=False, capture_output=True)


@contextmanager
def odoo_server(addons_path, db, port, log_path=None):
    """A local Odoo server on ``port`` (no crons), up until the block ends; its request log
    goes to ``log_path`` when given."""
    args = [f"--http-port={port}", "--max-cron-threads=0"]
    if log_path:
        args += ["--log-level=info", f"--logfile={log_path}"]
        output = None
    else:
        args.append("--log-level=warn")
        output = subprocess.DEVNULL
    server = subprocess.Popen(odoo_command(addons_path, db, *args), stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/web/login", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    status = server.returncode
                    raise RuntimeError(f"the Odoo server exited with status {status}") from None
                time.sleep(1)
        else:
            raise RuntimeError(f"the Odoo server did not answer on {base} within a minute")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def json_rpc_session(base, db, login, password=None):
    """Logs ``login`` in; returns ``call(model, method, *args, **kwargs)`` in its session."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def post(path, params):
        request = urllib.request.Request(
            f"{base}{path}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        answer = json.loads(opener.open(request, timeout=120).read())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    post("/web/session/authenticate", {"db": db, "login": login, "password": password or login})

    def call(model, method, *args, **kwargs):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return post(f"/web/dataset/call_kw/{model}/{method}", params)

    return call


if __name__ == "__main__":
    try:
        print(odoo_dirs(sys.executable))
    except OdooMissing as exc:
        print(f"Odoo 18 cannot be imported by {sys.executable} ({exc})", file=sys.stderr)
        sys.exit(2)
