"""What the benchmarks share beyond tools/odoo_env.py: their command-line options."""

import argparse
import os


def bench_arguments(doc, db_prefix, parser=None):
    """The options every benchmark takes: --tasks, --units, --db, --keep."""
    parser = parser or argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--db", default=f"{db_prefix}_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()
