"""Every concrete model (models.Model or TransientModel) needs an access rule."""

import ast
import csv


def str_value(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def new_models(path):
    """Names of the models that `path` creates (not extends); abstract ones are left out."""
    for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(cls, ast.ClassDef):
            continue
        if any(ast.unparse(base).endswith("AbstractModel") for base in cls.bases):
            continue
        attrs = {
            target.id: stmt.value
            for stmt in cls.body
            if isinstance(stmt, ast.Assign)
            for target in stmt.targets
            if isinstance(target, ast.Name)
        }
        name = str_value(attrs.get("_name"))
        inherit = attrs.get("_inherit")
        inherited = {str_value(n) for n in getattr(inherit, "elts", [inherit])}
        if name and name not in inherited:
            yield name


def acl_models(addon):
    csv_path = addon / "security" / "ir.model.access.csv"
    if not csv_path.is_file():
        return set()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        return {row["model_id:id"].split(".")[-1] for row in csv.DictReader(handle)}


def test_every_model_has_an_access_rule(addon):
    files = sorted(addon.glob("models/*.py")) + sorted(addon.glob("wizard/*.py"))
    models = {name for path in files for name in new_models(path)}
    missing = {m for m in models if "model_" + m.replace(".", "_") not in acl_models(addon)}
    assert not missing, f"no line in security/ir.model.access.csv for {sorted(missing)}"
