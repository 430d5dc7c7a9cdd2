"""What the benchmarks share: Odoo's interpreter and addons, a scratch database, a local
server, and a JSON-RPC session as the web client opens one."""

import argparse
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
# Prints Odoo's addons directories (a source checkout keeps web, mail... next to odoo/).
PROBE = """import os, odoo, odoo.addons
root = os.path.dirname(os.path.dirname(odoo.__file__))
dirs = [*odoo.addons.__path__, os.path.join(root, "addons")]
print(",".join(d for d in dirs if any(os.path.isdir(f"{d}/{m}") for m in ("base", "web"))))"""


def bench_arguments(doc, db_prefix, parser=None):
    """The options every benchmark takes: --tasks, --units, --db, --keep."""
    parser = parser or argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--db", default=f"{db_prefix}_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_addons_path(script):
    """Our addons and Odoo's, for the interpreter that imports Odoo (ODOO_PYTHON, default this
    one); re-executes ``script`` with that interpreter when it is another one."""
    py = os.environ.pop("ODOO_PYTHON", "") or sys.executable
    py = shutil.which(py) or py  # execv does not search the PATH (ODOO_PYTHON=python3)
    if os.path.abspath(py) != os.path.abspath(sys.executable):
        # Once: without ODOO_PYTHON, the new process keeps the interpreter it runs on.
        os.execv(py, [py, script, *sys.argv[1:]])
    probe = subprocess.run([py, "-c", PROBE], capture_output=True, text=True, check=True)
    return f"{ROOT / 'addons'},{probe.stdout.strip()}"


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
