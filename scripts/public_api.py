"""The suite's public API, read from the addons' source with ast (no Odoo import).

- the model methods declared with ``@public(arg=Kind...)`` (``crm_core/tools/boundary.py``);
- the public methods (no leading underscore) that an addon defines on a model with arguments
  besides ``self`` but does not declare: each is a hole in the boundary, unless it is one of
  Odoo's own API methods in ``ODOO_API`` or marked ``@api.private``;
- the http routes of the controllers (``@http.route``).

``tests/test_api_boundary.py`` attacks every declared method and route and fails on every
undeclared method; ``scripts/readme.py`` lists the methods and routes of each addon in its
readme (the generated fragment ``readme/API.md``). Both read this one list, so the
documentation and the test cannot drift apart.

    .venv/bin/python scripts/public_api.py      print the list
"""

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = [
    "crm_core",
    "crm_chronicle",
    "crm_billing_sepa",
    "crm_routing",
    "crm_telephony",
    "crm_scan",
]

# Public methods of Odoo's own API that our addons override. They keep Odoo's signature and
# Odoo's own checks (field names, domains, ids, vals dictionaries are validated by the ORM or
# by our constraints on the fields they write), so they are not declared with @public.
ODOO_API = {
    # the ORM's CRUD and its UI variants: Odoo validates the arguments (unknown fields,
    # malformed domains and vals raise ValueError/ValidationError); what our overrides add
    # is checked by constraints on the written fields
    "create": "ORM: records from a list of vals dictionaries",
    "write": "ORM: vals dictionary",
    "copy": "ORM",
    "copy_data": "ORM",
    "unlink": "ORM",
    "read": "ORM",
    "search": "ORM",
    "search_read": "ORM",
    "search_fetch": "ORM",
    "search_count": "ORM",
    "name_search": "ORM: the name search of many2one fields",
    "name_create": "ORM",
    "default_get": "ORM: defaults of the fields named",
    "fields_get": "ORM",
    "web_read": "web client",
    "web_save": "web client",
    "web_search_read": "web client",
    "formatted_read_group": "web client",
    "get_views": "web client",
    "onchange": "web client",
    "load": "ORM: the import of rows (Odoo's import wizard and `load` over RPC)",
    "export_data": "ORM: the export of rows",
    # Odoo's own hooks with Odoo's signature, called by Odoo itself
    "address_get": "res.partner: Odoo's address lookup (account, sale, stock call it)",
    "message_new": "mail.thread: called by Odoo's mail gateway (message_process)",
    "message_update": "mail.thread: called by Odoo's mail gateway (message_process)",
    "db_id_for": "ir.fields.converter: called by Odoo's import for each relational cell",
    "session_info": "ir.http: the web client's session",
    "report_action": "ir.actions.report: the print buttons' action (Odoo checks the report "
    "and reads the records with the caller's rights)",
}


@dataclass
class Param:
    name: str
    has_default: bool
    kind: str = "positional"  # positional, keyword (keyword-only), varargs, varkw


@dataclass
class Method:
    addon: str
    model: str
    name: str
    path: str
    lineno: int
    params: list
    api_model: bool = False
    private: bool = False
    declared: bool = False
    kinds: dict = field(default_factory=dict)  # argument -> kind's source text
    kind_nodes: dict = field(default_factory=dict)  # argument -> ast expression

    @property
    def where(self):
        return f"{self.model}.{self.name} ({self.path}:{self.lineno})"


@dataclass
class Route:
    addon: str
    paths: list
    function: str
    path: str
    lineno: int
    params: list
    type: str = "http"
    auth: str = "user"
    methods: list = None

    @property
    def where(self):
        return f"{', '.join(self.paths)} ({self.path}:{self.lineno})"


def _decorator_name(node):
    """`api.model` for @api.model, `public` for @public(...), `http.route` for ..."""
    target = node.func if isinstance(node, ast.Call) else node
    parts = []
    while isinstance(target, ast.Attribute):
        parts.append(target.attr)
        target = target.value
    if isinstance(target, ast.Name):
        parts.append(target.id)
    return ".".join(reversed(parts))


def _params(function):
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    params = [Param(a.arg, d) for a, d in zip(positional, defaults, strict=True)][1:]  # self
    if args.vararg:
        params.append(Param(args.vararg.arg, True, "varargs"))
    params += [
        Param(a.arg, d is not None, "keyword")
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    if args.kwarg:
        params.append(Param(args.kwarg.arg, True, "varkw"))
    return params


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _model_names(cls):
    """The model a class defines or extends (`_name`, else `_inherit`), or None."""
    values = {}
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in ("_name", "_inherit"):
                values[target.id] = _literal(statement.value)
    name = values.get("_name") or values.get("_inherit")
    if isinstance(name, list | tuple):
        name = name[0] if name else None
    return name if isinstance(name, str) else None


def _source_files(addon):
    for path in sorted((ROOT / addon).rglob("*.py")):
        parts = path.relative_to(ROOT / addon).parts
        if parts[0] in ("tests", "migrations") or "__pycache__" in parts:
            continue
        yield path


def read_addon(addon):
    """(methods, routes) of one addon: every public method with arguments of its model
    classes (declared or not) and every http route of its controllers."""
    methods, routes = [], []
    for path in _source_files(addon):
        tree = ast.parse(path.read_text(), filename=str(path))
        rel = str(path.relative_to(ROOT))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            model = _model_names(cls)
            for function in cls.body:
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                decorators = {_decorator_name(d): d for d in function.decorator_list}
                route = decorators.get("http.route") or decorators.get("route")
                if route is not None:
                    routes.append(_route(addon, rel, function, route))
                    continue
                if model is None or function.name.startswith("_"):
                    continue
                params = _params(function)
                public = decorators.get("public") or decorators.get("boundary.public")
                if not params and public is None:
                    continue
                method = Method(
                    addon,
                    model,
                    function.name,
                    rel,
                    function.lineno,
                    params,
                    api_model="api.model" in decorators,
                    private="api.private" in decorators,
                    declared=public is not None,
                )
                if isinstance(public, ast.Call):
                    for keyword in public.keywords:
                        method.kinds[keyword.arg] = ast.unparse(keyword.value)
                        method.kind_nodes[keyword.arg] = keyword.value
                methods.append(method)
    return methods, routes


def _route(addon, rel, function, decorator):
    paths = []
    if isinstance(decorator, ast.Call):
        given = decorator.args[0] if decorator.args else None
        for keyword in decorator.keywords:
            if keyword.arg == "route":
                given = keyword.value
        value = _literal(given) if given is not None else None
        paths = [value] if isinstance(value, str) else list(value or [])
    options = {
        k.arg: _literal(k.value) for k in getattr(decorator, "keywords", []) if k.arg != "route"
    }
    return Route(
        addon,
        paths,
        function.name,
        rel,
        function.lineno,
        _params(function),
        type=options.get("type") or "http",
        auth=options.get("auth") or "user",
        methods=options.get("methods"),
    )


def record_actions(addons=ADDONS):
    """The public record methods without arguments besides ``self`` of the addons: the
    buttons of their forms, which an integration may call over RPC with any ``ids`` (none,
    several, ids that do not exist). [Method] (``api_model`` ones are left out: they take no
    ids)."""
    found = []
    for addon in addons:
        if not (ROOT / addon / "__manifest__.py").exists():
            continue
        for path in _source_files(addon):
            tree = ast.parse(path.read_text(), filename=str(path))
            rel = str(path.relative_to(ROOT))
            for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
                model = _model_names(cls)
                for function in cls.body:
                    if (
                        model is None
                        or not isinstance(function, ast.FunctionDef)
                        or function.name.startswith("_")
                        or _params(function)
                    ):
                        continue
                    decorators = {_decorator_name(d) for d in function.decorator_list}
                    if decorators & {"api.model", "api.private", "http.route", "route", "property"}:
                        continue
                    found.append(Method(addon, model, function.name, rel, function.lineno, []))
    return found


def read(addons=ADDONS):
    """{addon: (methods, routes)} of the addons found in ROOT."""
    return {
        addon: read_addon(addon) for addon in addons if (ROOT / addon / "__manifest__.py").exists()
    }


def declared(methods):
    """The methods of the public API: declared with @public."""
    return [m for m in methods if m.declared]


def problems(methods):
    """What breaks the boundary rule, one sentence each: a public method with arguments that
    is not declared with @public (and is neither Odoo's own API nor @api.private), and a
    declared method with an argument that has no kind."""
    found = []
    for method in methods:
        if method.private:
            continue
        if not method.declared:
            if method.name in ODOO_API:
                continue
            names = ", ".join(p.name for p in method.params)
            found.append(
                f"{method.where}: public method with arguments ({names}) is not declared "
                "with @public (crm_core/tools/boundary.py); declare a kind for each "
                "argument, make it private (_name or @api.private), or, if it is Odoo's "
                "own API, add it to ODOO_API in scripts/public_api.py with the reason"
            )
            continue
        for param in method.params:
            if param.kind in ("varargs", "varkw"):
                found.append(
                    f"{method.where}: a public method takes no *args/**kwargs "
                    f"({param.name}): name each argument and declare its kind"
                )
            elif param.name not in method.kinds:
                found.append(
                    f"{method.where}: the argument {param.name} has no kind in @public "
                    "(use Any() when the method checks it itself, and say how)"
                )
    return found


# ---------------------------------------------------------------------------------------------
# The readme fragment
# ---------------------------------------------------------------------------------------------
def _signature(method):
    return ", ".join(f"`{p.name}`" + ("" if not p.has_default else "=…") for p in method.params)


def readme_fragment(addon, methods, routes):
    """readme/API.md of an addon: its declared methods and its routes."""
    lines = [
        "<!-- generated by scripts/readme.py from the @public declarations and http routes "
        "of the source (scripts/public_api.py); do not edit -->",
    ]
    public_methods = declared(methods)
    if public_methods:
        lines += [
            "Methods for integrations, over JSON-2 (`POST /json/2/<model>/<method>` with an "
            "API key) or XML-RPC. Each checks its arguments before doing any work: a wrong "
            "one gets a ValidationError naming the method and the argument (HTTP 422 over "
            "JSON-2, fault 2 over XML-RPC), never a server error "
            "(`tests/test_api_boundary.py` attacks every one).",
            "",
            "| method | called on | arguments (kind) |",
            "|---|---|---|",
        ]
        for method in sorted(public_methods, key=lambda m: (m.model, m.name)):
            arguments = "; ".join(
                f"`{p.name}`{'' if p.has_default else ' (required)'}: "
                f"`{method.kinds.get(p.name, '?')}`"
                for p in method.params
            )
            called_on = "the model" if method.api_model else "records (`ids`)"
            lines.append(f"| `{method.model}.{method.name}` | {called_on} | {arguments or '-'} |")
    else:
        lines.append("This addon has no model methods for integrations.")
    lines.append("")
    if routes:
        lines += [
            "HTTP routes (a wrong or missing parameter gets a 4xx answer, never a server error):",
            "",
            "| route | type, auth, methods | parameters |",
            "|---|---|---|",
        ]
        for route in sorted(routes, key=lambda r: r.paths):
            params = ", ".join(
                f"`{p.name}`" for p in route.params if p.kind not in ("varargs", "varkw")
            )
            methods = ", ".join(route.methods or ["any"])
            lines.append(
                f"| {', '.join(f'`{p}`' for p in route.paths)} | {route.type}, "
                f"{route.auth}, {methods} | {params or '-'} |"
            )
    else:
        lines.append("This addon has no HTTP routes.")
    return "\n".join(lines) + "\n"


def main():
    for addon, (methods, routes) in read().items():
        print(f"== {addon}")
        for method in methods:
            state = "public" if method.declared else ("private" if method.private else "-")
            print(f"  {state:8} {method.model}.{method.name}({_signature(method)})")
        for route in routes:
            print(f"  route    {', '.join(route.paths)} -> {route.function}")
    found = problems([m for methods, _r in read().values() for m in methods])
    for problem in found:
        print("PROBLEM: " + problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
