"""The public API, defended from outside (issue #17).

The methods meant for integrations are those declared with ``@public(arg=Kind...)``
(crm_core/tools/boundary.py); scripts/public_api.py reads them from the addons' source, with
every other public method that takes arguments and every http route of the controllers.

- A public method (no leading underscore) with arguments that is not declared fails, unless
  it is Odoo's own API (``ODOO_API`` in scripts/public_api.py says which and why) or
  ``@api.private``; so does a declared method with an argument that has no kind.
- Every declared method is called over JSON-2 and XML-RPC with, per argument, values derived
  from its kind that the kind must refuse: wrong types, None, empty, huge, unicode and control
  characters. Each call must get a 4xx-style Odoo error whose message names the argument
  (JSON-2: HTTP 422 with Odoo's error body, as for any ValidationError; XML-RPC: fault 2) and
  must leave no WARNING, ERROR or traceback in Odoo's log (ArgumentError is logged at INFO).
  Record methods are called on no records: the arguments are checked before any work.
- Every http route is called with missing, wrong-typed and hostile parameters and must answer
  4xx (a parameter the route may go without: any answer but a server error), never 500.

One test per addon and protocol, so a failure names the addon that must fix it and lists
every refused call. XML-RPC cannot carry every value (XML 1.0 has no NUL or most other C0
control characters, its integers have 32 bits): such values are sent over JSON-2 only.
"""

import ast
import importlib.util
import json
import re
import sys
import types
import urllib.error
import urllib.parse
import urllib.request
import warnings
import xmlrpc.client
from pathlib import Path

import pytest
from websession import WebSession  # tests/websession.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import public_api  # noqa: E402 - scripts/public_api.py

API = public_api.read()
ADDONS = list(API)
NONEXISTENT_ID = 2**31 - 1

# Example values of route parameters, so that one parameter at a time is attacked while the
# others are right. A callable gets the JSON-2 client and returns the value. Every parameter
# named here is one the route needs: without it the answer must be 4xx.
ROUTE_EXAMPLES = {
    "/crm_chronicle/export.ics": {
        "model": "crm.chronicle.entry",
        "ids": lambda api: str(api.first_id("crm.chronicle.entry")),
    },
}


def _load_boundary():
    spec = importlib.util.spec_from_file_location(
        "crm_boundary_for_tests", ROOT / "crm_core" / "tools" / "boundary.py"
    )
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():  # Odoo's own imports (passlib, babel) warn on Python 3.11
        warnings.simplefilter("ignore", DeprecationWarning)
        spec.loader.exec_module(module)
    return module


B = _load_boundary()


# ---------------------------------------------------------------------------------------------
# Reading the kinds of a declared method (the real classes of boundary.py)
# ---------------------------------------------------------------------------------------------
_namespaces = {}
BOUNDARY = Path("crm_core/tools/boundary.py")


def _our_module(path, module, level):
    """The file (relative to ROOT) of a module of our addons named in an import, or None."""
    if level:
        base = (ROOT / path).parent
        for _i in range(level - 1):
            base = base.parent
        parts = module.split(".") if module else []
    elif (module or "").startswith("odoo.addons.crm_"):
        base, parts = ROOT, module.split(".")[2:]
    else:
        return None
    target = base.joinpath(*parts)
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT)
    return None


def _import(node, path, namespace):
    """Run an import statement of a source file into its namespace: boundary.py is the one
    loaded above, other modules of our addons are read the same way as this file, Odoo is
    left out (what needs it is not a kind), anything else is imported."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if not alias.name.startswith("odoo"):
                module = importlib.import_module(alias.name)
                namespace[alias.asname or alias.name.split(".")[0]] = module
        return
    source = _our_module(path, node.module, node.level)
    for alias in node.names:
        name = alias.asname or alias.name
        if source == BOUNDARY:
            namespace[name] = getattr(B, alias.name)
        elif source is not None:
            sub = _our_module(path, f"{node.module or ''}.{alias.name}".strip("."), node.level)
            if sub == BOUNDARY:
                namespace[name] = B
            elif sub is not None and sub != source:
                namespace[name] = types.SimpleNamespace(**_namespace(sub))
            elif alias.name in _namespace(source):
                namespace[name] = _namespace(source)[alias.name]
        elif not (node.module or "").startswith("odoo"):
            namespace[name] = getattr(importlib.import_module(node.module), alias.name)


def _namespace(path):
    """The top level of a source file of our addons, run statement by statement without
    Odoo: its constants, classes (a kind of its own) and functions, and what it imports from
    our addons; a statement that needs Odoo is left out. What a kind's arguments refer to."""
    path = Path(path)
    if path in _namespaces:
        return _namespaces[path]
    namespace = {name: getattr(B, name) for name in dir(B) if not name.startswith("__")}
    namespace.update(boundary=B, __name__=f"crm_kinds.{path.with_suffix('')}")
    _namespaces[path] = namespace
    for node in ast.parse((ROOT / path).read_text()).body:
        try:
            if isinstance(node, ast.Import | ast.ImportFrom):
                _import(node, path, namespace)
            elif isinstance(
                node, ast.Assign | ast.AnnAssign | ast.ClassDef | ast.FunctionDef | ast.AugAssign
            ):
                exec(compile(ast.Module([node], []), str(path), "exec"), namespace)  # noqa: S102
        except Exception:  # noqa: BLE001, S112 - needs Odoo: not something a kind refers to
            continue
    return namespace


def kinds_of(method):
    """{argument: Kind} of a declared method, built by boundary.py's own classes."""
    kinds = {}
    for name, node in method.kind_nodes.items():
        code = compile(ast.Expression(node), method.path, "eval")
        kinds[name] = eval(code, dict(_namespace(method.path)))  # noqa: S307
    return kinds


# ---------------------------------------------------------------------------------------------
# Values a kind accepts, and values it must refuse
# ---------------------------------------------------------------------------------------------
WRONG_TYPES = [
    ("a number", 42),
    ("a decimal", 4.2),
    ("true", True),
    ("a text", "x"),
    ("a list", ["x"]),
    ("a dictionary", {"x": 1}),
]
CONTROL = [
    ("NUL", "a\x00b"),
    ("soft line break U+000B", "a\x0bb"),
    ("escape", "a\x1bb"),
    ("DEL", "a\x7fb"),
    ("C1 NEL U+0085", "a\x85b"),
    ("C1 U+009F", "a\x9fb"),
    ("lone surrogate", "a\ud800b"),
]
LINE_BREAKS = [
    ("line feed", "a\nb"),
    ("CR LF", "a\r\nb"),
    ("line separator U+2028", "a\u2028b"),
    ("paragraph separator U+2029", "a\u2029b"),
]


class Api:
    """The admin's JSON-2 and XML-RPC clients, and the calls of the fuzz test."""

    def __init__(self, odoo):
        self.odoo = odoo
        self.uid = xmlrpc.client.ServerProxy(f"{odoo['url']}/xmlrpc/2/common").authenticate(
            odoo["db"], odoo["login"], odoo["password"], {}
        )
        self.object = xmlrpc.client.ServerProxy(f"{odoo['url']}/xmlrpc/2/object", allow_none=True)
        self._ids = {}

    def json2(self, model, method, params):
        """(HTTP status, decoded body) of one JSON-2 call."""
        request = urllib.request.Request(
            f"{self.odoo['url']}/json/2/{model}/{method}",
            data=json.dumps(params).encode(),
            headers={
                "Authorization": f"bearer {self.odoo['api_key']}",
                "X-Odoo-Database": self.odoo["db"],
                "Content-Type": "application/json; charset=utf-8",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, {"message": body.decode(errors="replace")[:500]}

    def xmlrpc(self, model, method, args, kwargs):
        """(fault code or None, fault text or result) of one XML-RPC call."""
        try:
            result = self.object.execute_kw(
                self.odoo["db"], self.uid, self.odoo["password"], model, method, args, kwargs
            )
            return None, result
        except xmlrpc.client.Fault as fault:
            return fault.faultCode, fault.faultString
        except xmlrpc.client.ProtocolError as error:
            return f"HTTP {error.errcode}", error.errmsg

    def first_id(self, model):
        if model not in self._ids:
            status, body = self.json2(
                model, "search", {"domain": [], "limit": 1, "context": {"active_test": False}}
            )
            assert status == 200, f"cannot search {model}: {body.get('message')}"
            assert body, (
                f"no {model} record exists in the test database to call a method with "
                "(the demo data should hold one)"
            )
            self._ids[model] = body[0]
        return self._ids[model]


def valid(kind, api):
    """One value the kind accepts (for the arguments checked before the one attacked)."""
    if isinstance(kind, B.Bool):
        return False
    if isinstance(kind, B.Int | B.Float):
        number = 1
        if kind.minimum is not None:
            number = kind.minimum
        elif kind.maximum is not None and kind.maximum < 1:
            number = kind.maximum
        return float(number) if isinstance(kind, B.Float) else number
    if isinstance(kind, B.Str):
        return "x"
    if isinstance(kind, B.Selection):
        return kind.values[0]
    if isinstance(kind, B.Datetime):
        return "2026-12-01 10:00:00"
    if isinstance(kind, B.Date):
        return "2026-12-01"
    if isinstance(kind, B.Base64):
        return "eA=="
    if isinstance(kind, B.Records):
        record_id = api.first_id(kind.model)
        return record_id if kind.single else [record_id]
    if isinstance(kind, B.ListOf):
        return [valid(kind.kind, api)]
    if isinstance(kind, B.Dict):
        return {key: valid(kind.keys[key], api) for key in sorted(kind.required_keys)}
    return None  # Any, or a kind this test does not know: the method checks it itself


def _wrong_types(kind):
    """The WRONG_TYPES the kind must refuse."""
    accepted = set()
    if isinstance(kind, B.Bool):
        accepted = {"true"}
    elif isinstance(kind, B.Int):
        accepted = {"a number"}
    elif isinstance(kind, B.Float):
        accepted = {"a number", "a decimal"}
    elif isinstance(kind, B.Str):
        accepted = {"a text"}
    elif isinstance(kind, B.Selection):
        accepted = {"a text"} if "x" in kind.values else set()
    elif isinstance(kind, B.Records):
        accepted = {"a number"}
    elif isinstance(kind, B.ListOf):
        accepted = {"a list"}
    elif isinstance(kind, B.Dict):
        accepted = {"a dictionary"} if "x" in kind.keys else set()
    return [(label, value) for label, value in WRONG_TYPES if label not in accepted]


def _bool(kind, api):
    return [("the text 'true'", "true"), ("1", 1), ("0", 0)]


def _bounds(kind):
    values = []
    if kind.minimum is not None:
        values.append(("below the minimum", kind.minimum - 1))
    if kind.maximum is not None:
        values.append(("above the maximum", kind.maximum + 1))
    return values


def _int(kind, api):
    return [
        ("Arabic-Indic digits", "\u0661\u0662\u0663"),
        ("2**63", 2**63),
        ("10**30", 10**30),
        *_bounds(kind),
    ]


def _float(kind, api):
    return [
        ("NaN", float("nan")),
        ("infinity", float("inf")),
        ("minus infinity", float("-inf")),
        ("a number as text", "1.5"),
        *_bounds(kind),
    ]


def _str(kind, api):
    too_long = kind.max_len + 1
    values = [("too long", "x" * too_long), *CONTROL]
    if too_long <= 10_000:  # characters are counted, not bytes
        values += [
            ("too long in umlauts", "\u00fc" * too_long),
            ("too long in emoji", "\U0001f600" * too_long),
            ("1 MB", "x" * 2**20),
        ]
    if kind.required:
        values.append(("empty", ""))
        if kind.strip:
            values.append(("blank", "   "))
    if not kind.multiline:
        values += LINE_BREAKS
    return values


def _selection(kind, api):
    first = kind.values[0]
    values = [
        ("empty", ""),
        ("an unknown choice", "\u00fcberall"),
        ("a choice with a space", f" {first}"),
        ("a choice with NUL", f"{first}\x00"),
        ("2000 characters", "x" * 2000),
    ]
    if first.upper() not in kind.values:
        values.append(("a choice in capitals", first.upper()))
    return values


def _date(kind, api):
    values = [
        ("empty", ""),
        ("month 13", "2026-13-01"),
        ("February 30", "2026-02-30"),
        ("German notation", "01.12.2026"),
        ("Unicode hyphens", "2026\u201012\u201001"),
        ("a number", 20261201),
        ("NULs", "\x00" * 10),
        ("1000 characters", "2026-12-01" * 100),
    ]
    if isinstance(kind, B.Datetime):
        return [*values, ("hour 25", "2026-12-01 25:00:00"), ("zone +99", "2026-12-01T10:00+99")]
    return [*values, ("a date and time", "2026-12-01 10:00:00")]


def _base64(kind, api):
    values = [
        ("not base64", "not base64!"),
        ("bad padding", "YQ"),
        ("Unicode", "\u00fc\u00fc\u00fc\u00fc"),
        ("NUL", "YQ\x00="),
    ]
    if not kind.allow_empty:
        values.append(("empty", ""))
    limit = kind.max_bytes * 4 // 3 + 8
    if limit < 80 * 2**20:
        values.append(("larger than allowed", "A" * (limit + 4)))
    return values


def _records(kind, api):
    if kind.single:
        record_id = api.first_id(kind.model)
        return [
            ("a list of one id", [record_id]),
            ("0", 0),
            ("-1", -1),
            ("an id that does not exist", NONEXISTENT_ID),
            ("2**40", 2**40),
            ("an id as text", str(record_id)),
        ]
    values = [
        ("ids as text", ["1"]),
        ("a decimal id", [1.5]),
        ("true as id", [True]),
        ("id 0", [0]),
        ("id -1", [-1]),
        ("an id that does not exist", [NONEXISTENT_ID]),
        ("id 2**31", [2**31]),
        ("nested lists", [[1]]),
        ("an id as text", "1"),
        ("too many ids", list(range(1, getattr(B, "_MAX_IDS", 100_000) + 2))),
    ]
    if not kind.allow_empty:
        values.append(("no ids", []))
    return values


def _list_of(kind, api):
    values = [("a dictionary", {"x": 1})]
    if not kind.allow_empty:
        values.append(("an empty list", []))
    values += [(f"an item: {label}", [value]) for label, value in nested(kind.kind, api)]
    if kind.max_items < 20_000:
        values.append(("too many items", [valid(kind.kind, api)] * (kind.max_items + 1)))
    return values


def _dict(kind, api):
    base = valid(kind, api)
    values = [("an unknown key", {**base, "__unknown__": 1})]
    if kind.required_keys:
        values.append(("an empty dictionary", {}))
        for key in sorted(kind.required_keys):
            values.append((f"without {key}", {k: v for k, v in base.items() if k != key}))
    for key, key_kind in sorted(kind.keys.items()):
        values += [
            (f"{key}: {label}", {**base, key: value}) for label, value in nested(key_kind, api)
        ]
    return values


INVALID = [
    (B.Bool, _bool),
    (B.Int, _int),
    (B.Float, _float),
    (B.Str, _str),
    (B.Selection, _selection),
    (B.Date, _date),
    (B.Datetime, _date),
    (B.Base64, _base64),
    (B.Records, _records),
    (B.ListOf, _list_of),
    (B.Dict, _dict),
]


# A value a kind of an addon's own may accept or refuse; either is fine, a server error not.
LENIENT = "(any answer but an error) "


def invalid(kind, api):
    """(label, value) pairs the kind must refuse: the wrong types, None and False where a
    value is required, and what each kind refuses of its own type."""
    if isinstance(kind, B.Any):  # the method checks it itself
        return []
    specific = next((f for cls, f in INVALID if isinstance(kind, cls)), None)
    if specific is None:  # a kind of an addon's own: what it accepts is its own business
        odd = [("None", None), ("an empty list", []), ("an empty dictionary", {})]
        return [(f"{LENIENT}{label}", value) for label, value in WRONG_TYPES + odd]
    values = list(_wrong_types(kind))
    if kind.required and not isinstance(kind, B.Bool):
        values += [("None", None), ("false", False)]
    return values + specific(kind, api)


def nested(kind, api):
    """What `invalid` gives for a value inside a list or dictionary, with fewer of the
    wrong types (the kind's own checks all stay) and no values of a megabyte."""
    values = [(label, value) for label, value in invalid(kind, api) if label != "1 MB"]
    wrong = {label for label, _value in WRONG_TYPES}
    kept = [v for v in values if v[0] in wrong][:2]
    return kept + [v for v in values if v[0] not in wrong]


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sendable(value, protocol):
    """Whether the value can be written in the protocol at all."""
    if protocol == "json2":
        return True
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -(2**31) <= value < 2**31
    if isinstance(value, str):
        return not _XML_INVALID.search(value)
    if isinstance(value, list | tuple):
        return len(value) < 20_000 and all(sendable(v, protocol) for v in value)
    if isinstance(value, dict):
        return all(sendable(k, protocol) and sendable(v, protocol) for k, v in value.items())
    return True


# ---------------------------------------------------------------------------------------------
# The calls
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(odoo):
    return Api(odoo)


def _arguments(method, kinds, attacked, value, api):
    """Keyword arguments: the ones checked before `attacked` right, `attacked` = value,
    the required ones after it present (None), the optional ones after it left out."""
    order = list(kinds)
    position = order.index(attacked) if attacked in order else len(order)
    arguments = {}
    for param in method.params:
        if param.name == attacked:
            arguments[param.name] = value
        elif param.name in order and order.index(param.name) < position:
            arguments[param.name] = valid(kinds[param.name], api)
        elif not param.has_default:
            arguments[param.name] = None
    return arguments


def _names_argument(message, name):
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", message or "") is not None


def _call(api, protocol, method, arguments):
    """(HTTP status or XML-RPC fault code, error name, message) of one call."""
    if protocol == "json2":
        params = dict(arguments)
        if not method.api_model:
            params["ids"] = []
        status, body = api.json2(method.model, method.name, params)
        if not isinstance(body, dict) or "message" not in body:
            return status, "", f"answered {json.dumps(body)[:300]}"
        return status, body.get("name", ""), body["message"]
    args = [] if method.api_model else [[]]
    code, text = api.xmlrpc(method.model, method.name, args, arguments)
    return code, "fault", (text if code is not None else repr(text)[:300])


def _refused(protocol, status, message, name, label=""):
    """A 4xx-style Odoo error that names the argument (or, for a value a kind of an addon's
    own may accept, that or a result)."""
    if LENIENT in label and status in (200, None):
        return True
    if protocol == "json2":
        ok = status == 422
    else:
        ok = status == 2 and "Traceback" not in (message or "")
    return ok and _names_argument(message, name)


@pytest.mark.parametrize("addon", ADDONS)
def test_public_methods_are_declared(addon):
    """Every public method with arguments is declared with @public, each argument with its
    kind (or is Odoo's own API, scripts/public_api.py ODOO_API, or @api.private)."""
    methods, _routes = API[addon]
    found = public_api.problems(methods)
    assert not found, f"{len(found)} hole(s) in {addon}'s boundary:\n" + "\n".join(found)


@pytest.mark.parametrize("protocol", ["json2", "xmlrpc"])
@pytest.mark.parametrize("addon", ADDONS)
def test_public_methods_refuse_wrong_arguments(addon, protocol, api, server_log):
    """Each declared method, each argument, each value its kind must refuse: a 4xx-style
    error naming the argument, and nothing at WARNING or above in Odoo's log."""
    methods, _routes = API[addon]
    failures, calls = [], 0
    for method in public_api.declared(methods):
        try:
            kinds = kinds_of(method)
        except Exception as error:  # noqa: BLE001 - reported as the failure
            failures.append(f"{method.where}: its @public kinds cannot be read: {error!r}")
            continue
        attacks = [("an unknown argument", "__unknown__", 1)]
        for name, kind in kinds.items():
            attacks += [(label, name, value) for label, value in invalid(kind, api)]
        for label, name, value in attacks:
            if not sendable(value, protocol):
                continue
            if name == "__unknown__":
                arguments = {**_arguments(method, kinds, None, None, api), name: value}
            else:
                arguments = _arguments(method, kinds, name, value, api)
            mark = server_log.mark() if server_log else None
            status, error_name, message = _call(api, protocol, method, arguments)
            calls += 1
            call = f"{method.model}.{method.name}({name} = {label})"
            if not _refused(protocol, status, message, name, label):
                failures.append(
                    f"{call}: got {status} {error_name}: {str(message)[:300]!r} "
                    "(wanted a ValidationError naming the argument)"
                )
            if server_log:
                bad = server_log.bad_lines(mark)
                if bad:
                    failures.append(f"{call}: Odoo logged\n    " + "\n    ".join(bad[:6]))
    assert not failures, (
        f"{len(failures)} of {calls} {protocol} calls to {addon}'s public methods were not "
        "refused cleanly:\n" + "\n".join(failures)
    )


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------
CONVERTER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
HOSTILE_PATH = {
    "int": [
        ("0", "0"),
        ("an id that does not exist", str(NONEXISTENT_ID)),
        ("2**31", str(2**31)),
        ("20 digits", "9" * 20),
    ],
    "string": [
        ("3000 characters", "x" * 3000),
        ("NUL", "\x00"),
        ("soft line break", "\x0b"),
        ("Unicode", "\u00fc\u20ac\U0001f600"),
        ("a path", "../../etc/passwd"),
        ("invalid UTF-8", b"\xff\xfe"),
        ("a quote and angle brackets", "\"'<x>"),
    ],
}
HOSTILE_PATH["model"] = HOSTILE_PATH["int"] + [("a word", "abc")]
HOSTILE_QUERY = [
    ("empty", ""),
    ("blank", " "),
    ("5000 characters", "x" * 5000),
    ("Unicode", "\u00fc\u20ac\U0001f600"),
    ("NUL", "\x00"),
    ("soft line break", "\x0b"),
    ("a word", "abc"),
    ("a list with a word", "1,abc"),
    ("-1", "-1"),
    ("0", "0"),
    ("2**31", str(2**31)),
    ("20 digits", "9" * 20),
    ("SQL", "1;DROP TABLE res_users"),
    ("a path", "../../etc/passwd"),
    ("markup", "<script>alert(1)</script>"),
    ("invalid UTF-8", b"\xff\xfe"),
]


def _quote(value):
    return urllib.parse.quote(value, safe="")


def _route_calls(route, api):
    """(description, path with query, must be 4xx) of every call made to one route."""
    calls = []
    for path in route.paths:
        converters = {m["name"]: (m["converter"] or "string") for m in CONVERTER.finditer(path)}
        baseline = {
            name: "2" if conv in ("int", "model") else "x" for name, conv in converters.items()
        }

        def build(values, path=path):
            return CONVERTER.sub(lambda match: _quote(values[match["name"]]), path)

        for name, conv in converters.items():
            for label, value in HOSTILE_PATH.get(conv, HOSTILE_PATH["string"]):
                calls.append((f"{name} = {label}", build({**baseline, name: value}), True))
        query_params = [
            p
            for p in route.params
            if p.name not in converters and p.kind not in ("varargs", "varkw")
        ]
        examples = {
            name: value(api) if callable(value) else value
            for name, value in ROUTE_EXAMPLES.get(path, {}).items()
        }
        needed = {p.name for p in query_params if not p.has_default} | set(examples)
        base_path = build(baseline)
        if query_params:
            calls.append(("no parameters", base_path, bool(needed)))
        for param in query_params:
            others = {k: v for k, v in examples.items() if k != param.name}
            query = urllib.parse.urlencode(others)
            calls.append(
                (
                    f"without {param.name}",
                    base_path + (f"?{query}" if query else ""),
                    param.name in needed,
                )
            )
            for label, value in HOSTILE_QUERY:
                query = urllib.parse.urlencode({**others, param.name: value})
                calls.append(
                    (f"{param.name} = {label}", f"{base_path}?{query}", param.name in needed)
                )
    return calls


def _route_request(browser, route, target):
    method = (route.methods or ["GET"])[0]
    if route.type in ("json", "jsonrpc"):
        path, _sep, query = target.partition("?")
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        data = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        status, body = browser.request("POST", path, data, {"Content-Type": "application/json"})
        try:
            error = json.loads(body).get("error")
        except ValueError:
            return status, body
        if error and status == 200:
            # JSON-RPC answers 200 with the error: 4xx-style when it is a user error
            name = (error.get("data") or {}).get("name", "")
            user_error = re.search(
                r"(UserError|ValidationError|AccessError|MissingError|"
                r"NotFound|BadRequest|Forbidden)$",
                name,
            )
            return (422 if user_error else 500), body
        return status, body
    return browser.request(method, target)


@pytest.mark.parametrize("addon", ADDONS)
def test_routes_refuse_bad_parameters(addon, odoo, api, server_log):
    """Each http route with missing, wrong-typed and hostile parameters: 4xx (any answer
    but a server error for a parameter it may go without), nothing logged at WARNING."""
    _methods, routes = API[addon]
    # the admin's web session; a redirect is an answer (its 3xx status), not followed
    browser = WebSession(odoo, redirects=False) if routes else None
    failures, count = [], 0
    for route in routes:
        for label, target, strict in _route_calls(route, api):
            mark = server_log.mark() if server_log else None
            status, body = _route_request(browser, route, target)
            count += 1
            ok = 400 <= status < 500 if strict else status < 500
            call = f"{route.function} {target[:120]} ({label})"
            if not ok:
                wanted = "4xx" if strict else "no server error"
                text = body[:200].decode(errors="replace") if isinstance(body, bytes) else body
                failures.append(f"{call}: HTTP {status}, wanted {wanted}: {text!r}")
            if server_log:
                bad = server_log.bad_lines(mark)
                if bad:
                    failures.append(f"{call}: Odoo logged\n    " + "\n    ".join(bad[:6]))
    assert not failures, (
        f"{len(failures)} of {count} calls to {addon}'s routes were not refused cleanly:\n"
        + "\n".join(failures)
    )
