"""XML files that OCA's oca-checks-odoo-module does not read (tests/test_oca_checks.py).

The hooks check the syntax, ids and fields of the data and demo files the manifest loads, and
of asset files named without "**": the web client's templates under a "**" glob (e.g.
static/src/overview/**/*) are read by nobody else before a browser loads them. Here: every
XML file of the module outside the manifest's data and demo lists must parse.
"""

import ast
import xml.etree.ElementTree as ET

import pytest


def _loaded_data_files(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    return {addon / name for key in ("data", "demo") for name in manifest.get(key, [])}


def test_xml_files_parse(addon):
    checked_by_oca = _loaded_data_files(addon)
    for path in sorted(set(addon.rglob("*.xml")) - checked_by_oca):
        try:
            ET.parse(path)
        except ET.ParseError as error:
            pytest.fail(f"{path.relative_to(addon.parent)}: {error}")
