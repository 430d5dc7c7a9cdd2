"""OCA's odoo-pre-commit-hooks on each module, as pre-commit runs them; any message fails.

- oca-checks-odoo-module: the manifest and the files it loads (data, demo, assets): XML and
  CSV syntax, duplicate XML ids and fields, records without id, deprecated nodes and QWeb
  directives, dangerous view replacements, data files the manifest does not load;
- oca-checks-po: the .po and .pot files: syntax, placeholders that differ between msgid and
  msgstr, duplicate entries, entries without their module.

The checks that contradict a deliberate choice are disabled in .oca_hooks.cfg, each with its
reason. Each script is run through its console entry point's module, with this interpreter.
"""

import subprocess
import sys

import pytest
from conftest import ROOT

pytest.importorskip(
    "oca_pre_commit_hooks",
    reason="oca-odoo-pre-commit-hooks is not installed (requirements-dev.txt)",
)

CONFIG = ROOT / ".oca_hooks.cfg"


def _run(entry_point, paths):
    cmd = [sys.executable, "-m", entry_point, f"--config={CONFIG}", *map(str, paths)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    messages = (result.stdout + result.stderr).strip()
    if result.returncode or messages:
        pytest.fail(messages or f"{entry_point} exited with {result.returncode}")


def test_oca_checks_odoo_module(addon):
    _run("oca_pre_commit_hooks.cli", [addon.relative_to(ROOT)])


def test_oca_checks_po(addon):
    po_files = sorted(addon.glob("i18n*/*.po")) + sorted(addon.glob("i18n*/*.pot"))
    if not po_files:
        pytest.skip("no translation file")
    _run("oca_pre_commit_hooks.cli_po", [path.relative_to(ROOT) for path in po_files])
