"""What the benchmarks share beyond tools/odoo_env.py: their command-line options, and the
server times of their requests read from Odoo's log."""

import argparse
import os
import re

# werkzeug's request line in Odoo's log: "... HTTP/1.1" 200 - <queries> <sql time> <other time>
REQUEST_LOG = re.compile(
    r'"POST /web/dataset/call_kw/(\S+) HTTP/1\.1" 200 - (\d+) ([\d.]+) ([\d.]+)'
)


def log_mark(log_path):
    """Where the log ends now: the requests made after it are read by requests_since()."""
    return log_path.stat().st_size if log_path.exists() else 0


def requests_since(log_path, mark):
    """[(model/method, queries, SQL seconds, other seconds)] of the RPC requests the server
    logged after ``mark``."""
    with open(log_path, encoding="utf-8") as log:
        log.seek(mark)
        return REQUEST_LOG.findall(log.read())


def bench_arguments(doc, db_prefix, parser=None):
    """The options every benchmark takes: --tasks, --units, --db, --keep."""
    parser = parser or argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--db", default=f"{db_prefix}_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()
