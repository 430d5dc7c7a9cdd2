import xml.etree.ElementTree as ET

import pytest


def test_xml_files_parse(addon):
    for path in sorted(addon.rglob("*.xml")):
        try:
            ET.parse(path)
        except ET.ParseError as error:
            pytest.fail(f"{path.relative_to(addon.parent)}: {error}")
