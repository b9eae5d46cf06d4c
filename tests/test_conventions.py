"""The house rules of the code that a reader relies on, checked on the source (files only:
needs no server, but Odoo's source, found through the `odoo` package of the environment).

- The `_crm_` prefix rule: a private helper that one of our addons adds to a model it
  inherits from Odoo (res.partner, account.move, ...) carries `_crm_` in its name, so that
  it never collides with a method Odoo adds to that model in a later release and a reader
  sees at once whose it is. Overrides of Odoo's own methods keep Odoo's name. Private
  methods of our own models (and of our models extended by another of our addons) need no
  prefix."""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# helpers that keep a name without _crm_, each with its reason
PREFIX_EXCEPTIONS = {
    # computes of Odoo's own field names (declared by l10n_fr_facturx_chorus_pro), which
    # Odoo's CII builder reads: the same columns when both modules are installed
    "_compute_buyer_reference": "Odoo's field buyer_reference",
    "_compute_purchase_order_reference": "Odoo's field purchase_order_reference",
}


def _odoo_method_names():
    """Every method name Odoo's source defines (framework and all its addons)."""
    spec = importlib.util.find_spec("odoo")
    assert spec and spec.submodule_search_locations, "Odoo's source is not importable"
    framework = Path(list(spec.submodule_search_locations)[0])
    names = set()
    for tree in (framework, framework.parent / "addons"):
        for path in tree.rglob("*.py"):
            names.update(re.findall(r"def (\w+)\(", path.read_text(errors="replace")))
    return names


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return []


def _model_classes():
    """(file, class node, _name list, _inherit list) of every model class of our addons."""
    for manifest in sorted(ROOT.glob("*/__manifest__.py")):
        for path in sorted(manifest.parent.rglob("*.py")):
            parts = path.relative_to(manifest.parent).parts
            if parts[0] in ("tests", "migrations"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ClassDef):
                    continue
                attributes = {
                    statement.targets[0].id: _strings(statement.value)
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                }
                if "_name" in attributes or "_inherit" in attributes:
                    yield path, node, attributes.get("_name", []), attributes.get("_inherit", [])


def test_private_helpers_on_odoo_models_carry_crm():
    classes = list(_model_classes())
    ours = {name for _path, _node, names, _inherit in classes for name in names}
    odoo_methods = _odoo_method_names()
    wrong = []
    for path, node, names, inherit in classes:
        if not inherit or (names and not set(names) & set(inherit)) or inherit[0] in ours:
            continue  # a model of our own, or our model extended by another of our addons
        for method in node.body:
            name = getattr(method, "name", "")
            if (
                isinstance(method, ast.FunctionDef)
                and name.startswith("_")
                and not name.startswith("__")
                and "_crm_" not in name
                and name not in odoo_methods
                and name not in PREFIX_EXCEPTIONS
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{method.lineno} {inherit[0]}.{name}")
    assert not wrong, (
        "private helpers added to Odoo's models without _crm_ in their name (rename them, "
        "e.g. _crm_<name>, with every call site): " + ", ".join(wrong)
    )
