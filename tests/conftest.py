"""Fast checks (no database, no Odoo needed): run by `make test` after the Odoo tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
ADDONS = sorted(p.parent for p in ADDONS_DIR.glob("*/__manifest__.py"))


def pytest_generate_tests(metafunc):
    """Run every test that takes an `addon` argument once per addon of the repo."""
    if "addon" in metafunc.fixturenames:
        metafunc.parametrize("addon", ADDONS, ids=[a.name for a in ADDONS])
