import subprocess
import sys

import pytest
from conftest import ADDONS, ROOT

pytest.importorskip("pylint_odoo", reason="pylint-odoo is not installed (requirements-dev.txt)")


def test_mandatory_pylint_odoo_checks():
    cmd = [sys.executable, "-m", "pylint", "--rcfile=.pylintrc-mandatory", *map(str, ADDONS)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
