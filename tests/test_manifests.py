import ast

from conftest import ADDONS, ADDONS_DIR


def read_manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def test_repository_has_both_addons():
    assert {"hy_task_tracking", "hy_task_reports"} <= {a.name for a in ADDONS}


def test_manifest_keys(addon):
    manifest = read_manifest(addon)
    assert manifest["version"].startswith("18.0."), manifest["version"]
    assert manifest.get("license"), "manifest has no license"
    assert isinstance(manifest.get("depends"), list), "manifest has no depends list"
    for dependency in manifest["depends"]:
        assert isinstance(dependency, str) and dependency


def test_data_and_demo_files_exist(addon):
    manifest = read_manifest(addon)
    for key in ("data", "demo"):
        for name in manifest.get(key, []):
            assert (addon / name).is_file(), f"{key} file {name} is missing"


def asset_paths(manifest):
    """Paths of a manifest's asset bundles; ('include', bundle) names no file."""
    for entries in manifest.get("assets", {}).values():
        for entry in entries:
            if isinstance(entry, str):
                yield entry
            elif entry[0] != "include":
                yield entry[-1]  # ('remove'|'prepend', path) or (op, target, path)


def test_asset_files_exist(addon):
    for path in asset_paths(read_manifest(addon)):
        if path.split("/")[0] == addon.name:  # other modules' files are not in this repo
            assert list(ADDONS_DIR.glob(path)), f"asset {path} matches no file"


def test_readme_fragments_of_the_oca_layout(addon):
    """oca-gen-addon-readme builds README.rst from these fragments."""
    for name in ("DESCRIPTION.md", "USAGE.md", "CONTRIBUTORS.md"):
        fragment = addon / "readme" / name
        assert fragment.is_file() and fragment.read_text(encoding="utf-8").strip(), name
