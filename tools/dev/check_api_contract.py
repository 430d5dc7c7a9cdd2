#!/usr/bin/env python3
"""Check that the integration API does what its OpenAPI document says, as an outside client.

Installs both modules with their demo data on a scratch database, serves it, makes API keys
for an Office officer and a unit's portal user, and runs schemathesis with every check
(``-c all``) against /api/hy/v1/openapi.json with each key: what the document allows must be
accepted (or refused by a documented rule, 422), what it forbids refused, every answer as
documented. schemathesis runs in its own virtualenv (tools/dev/api/requirements.txt).

Usage: python3 tools/dev/check_api_contract.py [--max-examples N] [--keep]   (make api-contract)
"""

import argparse
import contextlib
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/: odoo_env

from odoo_env import (
    ROOT,
    free_port,
    odoo_addons_path,
    odoo_command,
    odoo_server,
    scratch_database,
)

VENV = ROOT / "var" / "venv-schemathesis"
API_DIR = ROOT / "tools" / "dev" / "api"
CONFIG = API_DIR / "schemathesis.toml"
# The users the keys are made for: (role, login of the demo data).
USERS = (("Office officer", "chuyen_vien_vp"), ("unit (portal)", "vanlam_portal"))
MAKE_KEYS = """
keys = []
for login in {logins!r}:
    user = env["res.users"].search([("login", "=", login)])
    # sudo: only administrators make keys without expiry, as an integration needs
    apikeys = env["res.users.apikeys"].with_user(user).sudo()  # sudo: see above
    keys.append(apikeys._generate("hy_api", "contract", False))
env.cr.commit()
print("KEYS", *keys)
"""


def schemathesis_bin():
    """schemathesis of tools/dev/api/requirements.txt, in its own virtualenv."""
    binary = VENV / "bin" / "schemathesis"
    if not binary.exists():
        venv.create(VENV, with_pip=True)
        pip = [str(VENV / "bin" / "pip"), "install", "-q"]
        subprocess.run([*pip, "-r", str(API_DIR / "requirements.txt")], check=True)
    return str(binary)


def make_keys(addons_path, db):
    script = MAKE_KEYS.format(logins=[login for _role, login in USERS])
    # The subcommand comes first, then the options of odoo_command.
    cmd = odoo_command(addons_path, db, "--log-level=warn", "--no-http")
    cmd.insert(cmd.index("odoo") + 1, "shell")
    out = subprocess.run(cmd, input=script, capture_output=True, text=True, check=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("KEYS "))
    return line.split()[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"hy_contract_{os.getpid()}")
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database --db as it is (made by --keep)"
    )
    args = parser.parse_args()
    addons_path = odoo_addons_path(__file__)
    binary = schemathesis_bin()
    failed = False
    database = (
        contextlib.nullcontext(args.db)
        if args.reuse
        else scratch_database(addons_path, args.db, "hy_task_reports", args.keep, demo=True)
    )
    with database:
        keys = make_keys(addons_path, args.db)
        port = free_port()
        log = ROOT / "var" / "log" / f"{args.db}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with odoo_server(addons_path, args.db, port, log) as base:
            for (role, login), key in zip(USERS, keys, strict=True):
                cmd = [binary, "--config-file", str(CONFIG), "run"]
                cmd += [f"{base}/api/hy/v1/openapi.json", "-c", "all"]
                cmd += ["-H", f"Authorization: Bearer {key}"]
                cmd += ["--max-examples", str(args.max_examples), "--seed", "2026"]
                cmd += ["--no-color", "--request-timeout", "60", "--workers", "1"]
                print(f"--- schemathesis -c all as {role} ({login})", flush=True)
                out = subprocess.run(cmd, capture_output=True, text=True, check=False)
                report = ROOT / "var" / "log" / f"contract-{login}.txt"
                report.write_text(out.stdout + out.stderr, encoding="utf-8")
                print(f"full output: {report}")
                sys.stdout.write(out.stdout[-3000:])
                summary = [
                    line
                    for line in out.stdout.splitlines()
                    if re.search(r"\d+ (passed|failed|errors?)|operations? tested|✅|❌", line)
                ]
                print(f"contract as {role}: exit {out.returncode}; " + " | ".join(summary[-3:]))
                failed = failed or out.returncode != 0
    print("api contract: " + ("FAILED" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
