"""CardDAV and CalDAV on Radicale's protocol layer (issue 21).

Radicale (https://radicale.org) does the WebDAV, CalDAV and CardDAV protocol: PROPFIND,
REPORT (multiget, calendar-query and addressbook-query filters, sync-collection), PUT with
If-Match / If-None-Match, DELETE, OPTIONS, principal and home-set discovery, XML parsed with
defusedxml. This module plugs Odoo in where Radicale expects its storage and rights plugins:

- ``Storage`` / ``Collection``: a user's principal (``/<user id>/``) holds the collections
  that models inheriting ``crm.dav.collection`` define (the address book of crm_core, the
  calendar of crm_chronicle). Every read and write goes through that model, in the
  environment of the authenticated user (record rules, multi-company), which the controller
  sets for the request (``ENV``).
- ``Rights``: a user reads their principal and writes the objects of their collections;
  nobody creates, deletes or renames collections.
- ``Application``: Radicale's WSGI application, answering a write that Odoo refuses
  (``Refused``: an invalid IBAN, a phone number that is none) with a 4xx and a DAV error
  that names the reason, and leaving out the ETag of a PUT whose object Odoo stored
  differently from what the client sent (the client then reads it back).

Radicale authenticates nobody here: the controller checks the API key and hands the user
id over as REMOTE_USER (Radicale's ``remote_user`` auth type).
"""

import contextvars
import datetime
import email.utils
import hashlib
import logging
import re
import threading
import xml.etree.ElementTree as ET
from http import client

from radicale import app as radicale_app
from radicale import config as radicale_config
from radicale import item as radicale_item
from radicale import pathutils, rights, storage, types, xmlutils

from .vcard import fold

ENV = contextvars.ContextVar("crm_dav_env", default=None)
ALTERED = contextvars.ContextVar("crm_dav_altered", default=False)
MODULE = __name__

_logger = logging.getLogger(__name__)


class Refused(Exception):
    """Odoo refused to store or delete an object: the message is shown to the client.

    `precondition` is the DAV precondition element (e.g. ``CR:valid-address-data``),
    `status` the HTTP status (403 unless said otherwise)."""

    def __init__(self, message, precondition="D:valid-resourcetype", status=client.FORBIDDEN):
        super().__init__(message)
        self.message = message
        self.precondition = precondition
        self.status = status

    def response(self, encoding):
        root = xmlutils.webdav_error(self.precondition)
        description = ET.SubElement(root, xmlutils.make_clark("D:responsedescription"))
        description.text = self.message
        body = ET.tostring(root, encoding=encoding, xml_declaration=True)
        headers = {"Content-Type": f"text/xml; charset={encoding}"}
        return self.status, headers, body, None


def etag(text):
    """The ETag of an object's text (a strong, quoted one)."""
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:40]}"'


def http_date(value):
    return email.utils.format_datetime(value.replace(tzinfo=datetime.UTC), usegmt=True)


def current_env():
    env = ENV.get()
    if env is None:
        raise RuntimeError("no Odoo environment for this DAV request")
    return env


def _unfold(text):
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif line.strip():
            lines.append(line)
    return lines


def _property_name(line):
    name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
    return name.rsplit(".", 1)[-1]  # vCard groups: item1.TEL


def extra_lines(text, component, known, first_only=(), rendered=""):
    """The content lines of the first `component` (VCARD, VEVENT, VTODO) of `text` that no
    field holds: properties not in `known` (of those in `first_only`, all but the first),
    and nested components (VALARM) whole; lines equal to one of `rendered` are left out."""
    ours = set(_unfold(rendered))
    result, inside, nested, seen = [], False, 0, set()
    for line in _unfold(text):
        upper = line.upper()
        if not inside:
            inside = upper == f"BEGIN:{component}"
            continue
        if upper.startswith("BEGIN:"):
            nested += 1
        if nested:
            result.append(line)
            if upper.startswith("END:"):
                nested -= 1
            continue
        if upper.startswith("END:"):
            break
        name = _property_name(line)
        if name in first_only and name not in seen:
            seen.add(name)
            continue
        if (name not in known or name in seen) and line not in ours:
            result.append(line)
    return result


def with_extra(text, extra, yielding=frozenset()):
    """`text` with the `extra` lines at the end of its (first) component. Properties in
    `yielding` that the extra lines hold replace the ones of `text` (a device's own
    categories instead of the type the CRM writes)."""
    if not extra:
        return text
    replaced = {_property_name(line) for line in extra} & yielding
    if replaced:
        kept, dropping = [], False
        for line in text.split("\r\n")[:-1]:
            if not line.startswith((" ", "\t")):  # a continuation follows its line
                dropping = _property_name(line) in replaced
            if not dropping:
                kept.append(line + "\r\n")
        text = "".join(kept)
    end = text.rfind("\r\nEND:VCALENDAR")
    cut = text.rfind("\r\nEND:", 0, end) if end >= 0 else text.rfind("\r\nEND:VCARD")
    folded = "".join(fold(line) + "\r\n" for line in extra)
    return text[: cut + 2] + folded + text[cut + 2 :]


# ---------------------------------------------------------------------------------------------
# Radicale's log: its request lines are Odoo's werkzeug lines again (DEBUG here); its warnings
# are about what a client sent (bad XML, a refused object, a failed precondition): INFO, as
# Odoo logs other 4xx answers; its errors stay errors.
# ---------------------------------------------------------------------------------------------
class _ClientLevels(logging.Filter):
    def filter(self, record):
        if record.levelno == logging.INFO:
            return logging.getLogger("radicale").isEnabledFor(logging.DEBUG)
        if record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None  # the client's mistake: no traceback
        return True


logging.getLogger("radicale").addFilter(_ClientLevels())


# ---------------------------------------------------------------------------------------------
# Storage plugin
# ---------------------------------------------------------------------------------------------
def _collection_models(env):
    """{collection name: model} of the collections every user has."""
    return {
        cls._dav_collection: env[name]
        for name, cls in env.registry.items()
        if getattr(cls, "_dav_collection", None)
    }


class Collection(storage.BaseCollection):
    """The root (""), a user's principal ("<uid>") or one of their collections."""

    def __init__(self, path, model=None):
        self._path = path
        self._model = model

    @property
    def path(self):
        return self._path

    def get_meta(self, key=None):
        meta = self._model._dav_meta() if self._model is not None else {}
        return meta if key is None else meta.get(key)

    def set_meta(self, props):
        # a client's colour or order of the collection is not kept
        return None

    @property
    def last_modified(self):
        return email.utils.formatdate(usegmt=True)

    @property
    def etag(self):
        if self._model is None:
            return '"principal"'
        return f'"{self._model._dav_token()}"'

    def sync(self, old_token=""):
        if self._model is None:
            raise ValueError("no sync on a principal")
        return self._model._dav_sync(old_token)

    def _items(self, objects):
        for href, text, uid, component, last_modified in objects:
            yield radicale_item.Item(
                collection=self,
                href=href,
                text=text,
                etag=etag(text),
                uid=uid,
                name="VCARD" if self.tag == "VADDRESSBOOK" else "VCALENDAR",
                component_name=component,
                last_modified=http_date(last_modified),
            )

    def get_all(self):
        if self._model is None:
            return iter(())
        return self._items(self._model._dav_objects())

    def get_multi(self, hrefs):
        hrefs = list(dict.fromkeys(hrefs))
        found = {item.href: item for item in self._items(self._model._dav_objects(hrefs))}
        return [(href, found.get(href)) for href in hrefs]

    def get_filtered(self, filters):
        if self._model is None or not self.tag:
            return iter(())
        return super().get_filtered(filters)

    def has_uid(self, uid):
        return self._model._dav_has_uid(uid)

    def upload(self, href, item):
        text = item.serialize()
        stored = self._model._dav_put(href, item.vobject_item, text)
        new_item = next(self._items([stored]))
        if new_item.serialize() != text:
            ALTERED.set(True)
        return new_item, None

    def delete(self, href=None):
        if href is None:
            raise Refused(current_env()._("The collections of the CRM cannot be deleted."))
        self._model._dav_delete(href)


class Storage(storage.BaseStorage):
    def discover(self, path, depth="0", child_context_manager=None, user_groups=frozenset()):
        env = current_env()
        parts = [p for p in pathutils.strip_path(path).split("/") if p]
        user = str(env.uid)
        if not parts:
            yield Collection("")
            if depth != "0":
                yield Collection(user)
            return
        if parts[0] != user:
            return
        models = _collection_models(env)
        if len(parts) == 1:
            yield Collection(user)
            if depth != "0":
                for name in sorted(models):
                    yield Collection(f"{user}/{name}", models[name])
            return
        model = models.get(parts[1])
        if model is None:
            return
        collection = Collection(f"{user}/{parts[1]}", model)
        if len(parts) == 2:
            yield collection
            if depth != "0":
                yield from collection.get_all()
            return
        if len(parts) == 3:
            item = dict(collection.get_multi([parts[2]])).get(parts[2])
            if item is not None:
                yield item

    def move(self, item, to_collection, to_href):
        raise Refused(current_env()._("Objects of the CRM cannot be moved or renamed."))

    def create_collection(self, href, items=None, props=None):
        raise Refused(current_env()._("The collections of the CRM cannot be created or replaced."))

    @types.contextmanager
    def acquire_lock(self, mode, user="", *args, **kwargs):
        # the database transaction of the request isolates it; writes lock their rows
        yield

    def verify(self):
        return True


class Rights(rights.BaseRights):
    def authorization(self, user, path):
        if not user:
            return ""
        parts = [p for p in pathutils.strip_path(path).split("/") if p]
        if not parts:
            return "R"
        if parts[0] != user:
            return ""
        if len(parts) == 1:
            return "R"
        if len(parts) == 2:
            return "rw"
        return ""


# ---------------------------------------------------------------------------------------------
# Application
# ---------------------------------------------------------------------------------------------
class Application(radicale_app.Application):
    def _refusable(self, method, environ, base_prefix, path, *args):
        try:
            return method(environ, base_prefix, path, *args)
        except Refused as error:
            _logger.info("DAV %s %s refused: %s", environ["REQUEST_METHOD"], path, error.message)
            return error.response(self._encoding)

    def do_PUT(self, environ, base_prefix, path, *args):
        ALTERED.set(False)
        status, headers, answer, xml_request = self._refusable(
            super().do_PUT, environ, base_prefix, path, *args
        )
        if ALTERED.get() and status in (client.CREATED, client.NO_CONTENT):
            headers = {k: v for k, v in dict(headers).items() if k.lower() != "etag"}
        return status, headers, answer, xml_request

    def do_DELETE(self, *args):
        return self._refusable(super().do_DELETE, *args)

    def do_MOVE(self, *args):
        return self._refusable(super().do_MOVE, *args)

    def do_MKCOL(self, *args):
        return self._refusable(super().do_MKCOL, *args)

    def do_MKCALENDAR(self, *args):
        return self._refusable(super().do_MKCALENDAR, *args)

    def do_PROPPATCH(self, *args):
        return self._refusable(super().do_PROPPATCH, *args)


_application = None
_application_lock = threading.Lock()
MAX_BODY = 2 * 1024 * 1024  # a vCard with a photo, or an appointment; more is refused (413)


def application():
    """Radicale's application configured for Odoo (one per process)."""
    global _application
    with _application_lock:
        if _application is None:
            configuration = radicale_config.load()
            configuration.update(
                {
                    "auth": {"type": "remote_user", "delay": "0"},
                    "rights": {
                        "type": MODULE,
                        "permit_delete_collection": "False",
                        "permit_overwrite_collection": "False",
                    },
                    "storage": {"type": MODULE},
                    "web": {"type": "none"},
                    "server": {"max_content_length": str(MAX_BODY)},
                    "logging": {"mask_passwords": "True"},
                },
                "crm_core",
            )
            _application = Application(configuration)
    return _application
