"""Translation files: what OCA's oca-checks-po does not check (tests/test_oca_checks.py).

The hooks check each .po and .pot file (syntax, placeholders that differ between msgid and
msgstr, duplicate entries, entries without their module); here, which files a module ships:
no en.po, and a vi.po wherever there is a .pot.
"""


def test_no_english_po_file(addon):
    """English is the source language: an en.po only hides the real strings."""
    assert not list(addon.rglob("en.po")), "remove i18n/en.po"


def test_vietnamese_translation_exists(addon):
    """A module that exports terms (a .pot) ships them in Vietnamese."""
    if list(addon.glob("i18n/*.pot")):
        assert (addon / "i18n" / "vi.po").is_file(), "i18n/vi.po is missing"
