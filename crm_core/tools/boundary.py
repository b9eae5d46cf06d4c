"""The boundary of the suite's public API: arguments of methods that integrations call
(XML-RPC, JSON-2) are checked here, once, before any work is done.

A public method declares what each argument must be::

    from odoo.addons.crm_core.tools.boundary import Ids, Str, public

    @api.model
    @public(partner=Record("res.partner"), subject=Str(max_len=512))
    def crm_log(self, partner, subject, body=False): ...

``public`` binds the call to the method's signature, converts each declared argument with
its kind (an id becomes a record, "2026-12-01" a date) and raises ``ArgumentError`` naming
the method and the argument for anything else: wrong types, None where a value is required,
empty or oversized values, control characters in a single-line text, ids that do not exist.
Arguments the caller leaves at their default are not checked. The decorated method
receives the converted values.

``ArgumentError`` is a ValidationError: JSON-2 answers it with a 4xx-style Odoo error and
XML-RPC with a fault, never with a traceback. It carries ``loglevel = INFO`` because a
wrong argument is the caller's mistake, not a problem of the server (Odoo's HTTP layer logs
exceptions with a ``loglevel`` at that level).

The list of public methods of an addon is the set of methods decorated with ``public``
(``tests/test_api_boundary.py`` reads it from the source and attacks every one of them).
"""

import base64
import binascii
import datetime
import functools
import inspect
import logging
import math
import re

from odoo import fields, models
from odoo.exceptions import ValidationError

# C0 and C1 control characters except tab, line feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")
_MAX_IDS = 100_000
# PostgreSQL's integer: a whole number beyond it would fail in SQL with a server error
_INT_RANGE = range(-(2**31), 2**31)


class ArgumentError(ValidationError):
    """A wrong argument given to a public method of the suite."""

    loglevel = logging.INFO


def _shown(value, limit=60):
    """The value as the error message shows it: repr, shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Kind:
    """What one argument must be. `clean` returns the converted value or raises."""

    required = True

    def __init__(self, required=True):
        self.required = required

    def fail(self, env, where, name, value, expected):
        raise ArgumentError(
            env._(
                "%(where)s: the argument %(name)s must be %(expected)s, not %(given)s.",
                where=where,
                name=name,
                expected=expected,
                given=_shown(value),
            )
        )

    def clean(self, env, where, name, value):
        if value is None or value is False:
            if self.required:
                self.fail(env, where, name, value, self.describe(env))
            return value
        return self.convert(env, where, name, value)

    def describe(self, env):
        raise NotImplementedError

    def convert(self, env, where, name, value):
        raise NotImplementedError


class Bool(Kind):
    def __init__(self):
        super().__init__(required=False)

    def clean(self, env, where, name, value):
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(env, where, name, value, self.describe(env))
        return value

    def describe(self, env):
        return env._("true or false")


class Int(Kind):
    def __init__(self, minimum=None, maximum=None, required=True):
        super().__init__(required)
        self.minimum, self.maximum = minimum, maximum

    def describe(self, env):
        if self.minimum is not None and self.maximum is not None:
            return env._(
                "a whole number from %(minimum)s to %(maximum)s",
                minimum=self.minimum,
                maximum=self.maximum,
            )
        if self.minimum is not None:
            return env._("a whole number of at least %(minimum)s", minimum=self.minimum)
        return env._("a whole number")

    def convert(self, env, where, name, value):
        if isinstance(value, bool) or not isinstance(value, int) or value not in _INT_RANGE:
            self.fail(env, where, name, value, self.describe(env))
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            self.fail(env, where, name, value, self.describe(env))
        return value


class Float(Kind):
    def __init__(self, minimum=None, maximum=None, required=True):
        super().__init__(required)
        self.minimum, self.maximum = minimum, maximum

    def describe(self, env):
        if self.minimum is not None:
            return env._("a number of at least %(minimum)s", minimum=self.minimum)
        return env._("a number")

    def convert(self, env, where, name, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(env, where, name, value, self.describe(env))
        if not math.isfinite(value):
            self.fail(env, where, name, value, self.describe(env))
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            self.fail(env, where, name, value, self.describe(env))
        return float(value)


class Str(Kind):
    """Text. Single-line text (the default) refuses line breaks; any text refuses control
    characters other than tab and line breaks, and more than `max_len` characters."""

    def __init__(self, max_len=256, multiline=False, required=True, strip=True):
        super().__init__(required)
        self.max_len, self.multiline, self.strip = max_len, multiline, strip

    def describe(self, env):
        if self.multiline:
            return env._("a text of at most %(max)s characters", max=self.max_len)
        return env._("a single line of text of at most %(max)s characters", max=self.max_len)

    def convert(self, env, where, name, value):
        if not isinstance(value, str):
            self.fail(env, where, name, value, self.describe(env))
        if self.strip:
            value = value.strip()
        if (self.required and not value) or len(value) > self.max_len:
            self.fail(env, where, name, value, self.describe(env))
        if _CONTROL.search(value) or (not self.multiline and _LINE_BREAKS.search(value)):
            self.fail(env, where, name, value, self.describe(env))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            self.fail(env, where, name, value, self.describe(env))
        return value


class Selection(Kind):
    def __init__(self, values, required=True):
        super().__init__(required)
        self.values = tuple(values)

    def describe(self, env):
        return env._("one of %(values)s", values=", ".join(map(repr, self.values)))

    def convert(self, env, where, name, value):
        if not isinstance(value, str) or value not in self.values:
            self.fail(env, where, name, value, self.describe(env))
        return value


class Date(Kind):
    def describe(self, env):
        return env._("a date (YYYY-MM-DD)")

    def convert(self, env, where, name, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and len(value) == 10:
            try:
                return fields.Date.to_date(value)
            except ValueError:
                pass
        self.fail(env, where, name, value, self.describe(env))


class Datetime(Kind):
    def describe(self, env):
        return env._("a date and time (YYYY-MM-DD HH:MM:SS, UTC)")

    def convert(self, env, where, name, value):
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime.combine(value, datetime.time())
        if isinstance(value, str) and 10 <= len(value) <= 32:
            try:
                return fields.Datetime.to_datetime(value)
            except ValueError:
                pass
        self.fail(env, where, name, value, self.describe(env))


class Base64(Kind):
    """A file's content in base64 (str or bytes), returned decoded as bytes."""

    def __init__(self, max_bytes=50 * 1024 * 1024, required=True, allow_empty=False):
        super().__init__(required)
        self.max_bytes, self.allow_empty = max_bytes, allow_empty

    def describe(self, env):
        return env._(
            "a file's content in base64 of at most %(size)s MB",
            size=round(self.max_bytes / 1024 / 1024),
        )

    def convert(self, env, where, name, value):
        if not isinstance(value, str | bytes):
            self.fail(env, where, name, value, self.describe(env))
        if len(value) > self.max_bytes * 4 // 3 + 8:
            self.fail(env, where, name, value, self.describe(env))
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.fail(env, where, name, value, self.describe(env))
        if not data and not self.allow_empty:
            self.fail(env, where, name, value, self.describe(env))
        return data


class Records(Kind):
    """Records of `model`, given as a recordset, an id or a list of ids; converted to a
    recordset (in the caller's environment) after checking that every id exists and, with
    `visible`, that the caller may read it (record rules: another company's records are
    refused like missing ones, without saying whether they exist)."""

    def __init__(self, model, required=True, single=False, allow_empty=False, visible=False):
        super().__init__(required)
        self.model, self.single, self.allow_empty = model, single, allow_empty
        self.visible = visible

    def describe(self, env):
        if self.single:
            return env._("the id of one %(model)s record", model=self.model)
        return env._("a list of ids of %(model)s records", model=self.model)

    def convert(self, env, where, name, value):
        if isinstance(value, models.BaseModel):
            if value._name != self.model:
                self.fail(env, where, name, value, self.describe(env))
            ids = value.ids
        elif isinstance(value, int) and not isinstance(value, bool):
            ids = [value]
        elif isinstance(value, list | tuple) and not self.single:
            ids = list(value)
        else:
            self.fail(env, where, name, value, self.describe(env))
        if len(ids) > _MAX_IDS or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in ids
        ):
            self.fail(env, where, name, value, self.describe(env))
        if (not ids and not self.allow_empty) or (self.single and len(ids) != 1):
            self.fail(env, where, name, value, self.describe(env))
        records = env[self.model].browse(ids)
        return check_records(records, where, name, readable=self.visible, conceal=True)


def Record(model, required=True, visible=False):  # noqa: N802 - reads as a kind
    """One record of `model` (a record or its id)."""
    return Records(model, required=required, single=True, visible=visible)


def check_records(records, where, name, readable=False, conceal=False):
    """`records` as named by a caller (any model; the ids of an RPC call, an argument, a
    source given as "model,id"), checked to exist and, with `readable`, to be readable by
    the user (as superuser: all). Otherwise an ArgumentError naming `where` (the method),
    `name` (the argument), the model and at most ten of the ids. With `conceal`, records
    the user may not read are refused like missing ones: the answer does not tell whether
    another company's record exists. One query for existence, one for read access.
    Returns `records`."""
    env = records.env
    ids = set(records.ids)
    missing = ids - set(records.sudo().exists().ids)
    hidden = set()
    if readable and not missing and not env.su:
        hidden = ids - set(records._filtered_access("read").ids)
    if conceal:
        missing, hidden = missing | hidden, set()
    if missing:
        raise ArgumentError(
            env._(
                "%(where)s: the argument %(name)s names %(model)s records that do not "
                "exist: %(ids)s.",
                where=where,
                name=name,
                model=records._name,
                ids=", ".join(map(str, sorted(missing)[:10])),
            )
        )
    if hidden:
        raise ArgumentError(
            env._(
                "%(where)s: the argument %(name)s names %(model)s records you may not read: "
                "%(ids)s.",
                where=where,
                name=name,
                model=records._name,
                ids=", ".join(map(str, sorted(hidden)[:10])),
            )
        )
    return records


class ListOf(Kind):
    def __init__(self, kind, max_items=10_000, required=True, allow_empty=False):
        super().__init__(required)
        self.kind, self.max_items, self.allow_empty = kind, max_items, allow_empty

    def describe(self, env):
        return env._(
            "a list of at most %(max)s items, each %(item)s",
            max=self.max_items,
            item=self.kind.describe(env),
        )

    def convert(self, env, where, name, value):
        if not isinstance(value, list | tuple) or len(value) > self.max_items:
            self.fail(env, where, name, value, self.describe(env))
        if not value and not self.allow_empty:
            self.fail(env, where, name, value, self.describe(env))
        return [
            self.kind.clean(env, where, f"{name}[{index}]", item)
            for index, item in enumerate(value)
        ]


class Dict(Kind):
    """A dictionary with known keys: `keys` maps each key to its kind; keys in `required_keys`
    must be present, others may be left out; unknown keys are refused."""

    def __init__(self, keys, required_keys=(), required=True):
        super().__init__(required)
        self.keys, self.required_keys = keys, set(required_keys)

    def describe(self, env):
        return env._(
            "a dictionary with the keys %(keys)s",
            keys=", ".join(sorted(self.keys)),
        )

    def convert(self, env, where, name, value):
        if not isinstance(value, dict):
            self.fail(env, where, name, value, self.describe(env))
        unknown = sorted(str(k) for k in set(value) - set(self.keys))
        missing = sorted(self.required_keys - set(value))
        if unknown or missing:
            raise ArgumentError(
                env._(
                    "%(where)s: the argument %(name)s has unknown keys %(unknown)s or "
                    "lacks %(missing)s.",
                    where=where,
                    name=name,
                    unknown=", ".join(unknown) or "-",
                    missing=", ".join(missing) or "-",
                )
            )
        return {
            key: kind.clean(env, where, f"{name}.{key}", value[key]) if key in value else None
            for key, kind in self.keys.items()
            if key in value
        }


class Any(Kind):
    """Accepted as given: the method checks it itself (say how in its docstring)."""

    def __init__(self):
        super().__init__(required=False)

    def describe(self, env):
        return env._("any value")

    def clean(self, env, where, name, value):
        return value


def public(**kinds):
    """Declare a model method part of the public API and check its arguments (see the
    module's docstring)."""

    def decorate(method):
        signature = inspect.signature(method)
        unknown = set(kinds) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{method.__qualname__}: @public names unknown arguments {unknown}")

        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            where = f"{self._name}.{method.__name__}"
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError as error:
                raise ArgumentError(f"{where}: {error}") from None
            for name, kind in kinds.items():
                if name in bound.arguments:
                    bound.arguments[name] = kind.clean(self.env, where, name, bound.arguments[name])
            return method(*bound.args, **bound.kwargs)

        checked._crm_public = kinds
        return checked

    return decorate


def one_record(method):
    """Declare a record method of the public API that works on one record (a button of a
    form, an action over RPC) and check that it is called on exactly one: called on none or
    on several (the ``ids`` of a JSON-2 or XML-RPC call), an ArgumentError naming the
    method, the model and the ids - not Odoo's ValueError "Expected singleton", which RPC
    answers as a server error with a traceback. Ids that do not exist are left to the
    method (reading them raises Odoo's MissingError, a 404-style error)."""

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        if len(self) != 1:
            raise ArgumentError(
                self.env._(
                    "%(where)s works on one %(model)s record at a time, not on %(count)s "
                    "(ids: %(ids)s).",
                    where=f"{self._name}.{method.__name__}",
                    model=self._name,
                    count=len(self),
                    ids=", ".join(map(str, self.ids[:10])) or "-",
                )
            )
        return method(self, *args, **kwargs)

    checked._crm_one_record = True
    return checked


def some_records(method):
    """Declare a record method of the public API that works on one or several records and
    check that it is called on some that exist: on none, or on ids that do not exist (the
    ``ids`` of an RPC call), an ArgumentError naming the method - not an empty result
    (None, which XML-RPC cannot answer) or work done for a record that is not there."""

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        where = f"{self._name}.{method.__name__}"
        if not self:
            raise ArgumentError(
                self.env._(
                    "%(where)s works on %(model)s records: it was called on none.",
                    where=where,
                    model=self._name,
                )
            )
        check_records(self, where, "ids")
        return method(self, *args, **kwargs)

    checked._crm_some_records = True
    return checked
