"""CardDAV and CalDAV under /dav (issue 21), with service discovery at /.well-known.

The request is authenticated here with an Odoo API key (HTTP Basic: login and API key, or
Bearer: API key), then handed to Radicale's protocol layer (crm_core/tools/dav.py) in the
environment of that user. Anything wrong with a request - bad credentials, an unknown path,
malformed XML, a body too large, a Depth the method does not take - is answered with a 4xx.
"""

import base64
import binascii
import io
import logging
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as parse_xml
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

from ..tools import dav as dav_tools

_logger = logging.getLogger(__name__)

METHODS = [
    "OPTIONS",
    "GET",
    "HEAD",
    "PROPFIND",
    "PROPPATCH",
    "REPORT",
    "PUT",
    "DELETE",
    "MKCOL",
    "MKCALENDAR",
    "MOVE",
    "COPY",
    "POST",
    "LOCK",
    "UNLOCK",
]
READ_METHODS = ("OPTIONS", "GET", "HEAD", "PROPFIND", "REPORT")
XML_METHODS = ("PROPFIND", "PROPPATCH", "REPORT", "MKCOL", "MKCALENDAR")
DEPTHS = ("0", "1", "infinity")
CALDAV, CARDDAV = "{urn:ietf:params:xml:ns:caldav}", "{urn:ietf:params:xml:ns:carddav}"
REPORTS = {
    "{DAV:}sync-collection",
    "{DAV:}expand-property",
    "{DAV:}principal-search-property-set",
    "{DAV:}principal-property-search",
    f"{CALDAV}calendar-multiget",
    f"{CALDAV}calendar-query",
    f"{CALDAV}free-busy-query",
    f"{CARDDAV}addressbook-multiget",
    f"{CARDDAV}addressbook-query",
}
UNSUPPORTED_REPORT = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<D:error xmlns:D="DAV:"><D:supported-report/></D:error>'
)
REALM = 'Basic realm="CRM", charset="UTF-8"'


def _read_only(controller, rule, args):
    return request.httprequest.method in READ_METHODS


def _plain(status, text, headers=()):
    return request.make_response(
        text, status=status, headers=[("Content-Type", "text/plain; charset=utf-8"), *headers]
    )


class DavController(http.Controller):
    @http.route(
        ["/.well-known/carddav", "/.well-known/caldav"],
        type="http",
        auth="none",
        methods=METHODS,
        csrf=False,
        save_session=False,
    )
    def well_known(self, **kwargs):
        """RFC 6764: clients that are given only the server's name find the DAV root here."""
        return request.redirect("/dav/", code=301, local=True)

    @http.route(
        ["/dav", "/dav/<path:path>"],
        type="http",
        auth="none",
        methods=METHODS,
        csrf=False,
        save_session=False,
        readonly=_read_only,
        max_content_length=dav_tools.MAX_BODY,
    )
    def dav(self, path="", **kwargs):
        httprequest = request.httprequest
        method = httprequest.method
        if not request.db:
            return _plain(404, "No database.")
        depth = httprequest.headers.get("Depth")
        if depth is not None and depth.strip().lower() not in DEPTHS:
            return _plain(400, "Depth must be 0, 1 or infinity.")
        uid = self._authenticate()
        if not uid and not (method == "OPTIONS" and "Authorization" not in httprequest.headers):
            return _plain(
                401, "Log in with your login and an API key.", [("WWW-Authenticate", REALM)]
            )
        try:
            body = httprequest.get_data(cache=False)
        except RequestEntityTooLarge:
            return _plain(413, "The request body is too large.")
        if method in XML_METHODS and body.strip():
            # no DTD at all (entities, external references): what defusedxml refuses is a 400
            # here, before Radicale reads the body
            try:
                root = parse_xml(body, forbid_dtd=True)
            except (DefusedXmlException, ParseError, ValueError) as error:
                _logger.info("DAV %s %s: refused XML body: %s", method, path, error)
                return _plain(400, "The request body is not well-formed XML without a DTD.")
            if method == "REPORT" and root.tag not in REPORTS:
                return request.make_response(
                    UNSUPPORTED_REPORT,
                    status=403,
                    headers=[("Content-Type", "application/xml; charset=utf-8")],
                )
        environ = {
            key: value
            for key, value in httprequest.environ.items()
            if key.startswith(("HTTP_", "SERVER_", "REMOTE_ADDR", "wsgi.")) or key.isupper()
        }
        environ.update(
            {
                "REQUEST_METHOD": method,
                "SCRIPT_NAME": "/dav",
                "PATH_INFO": "/" + path,
                "REMOTE_USER": str(uid or ""),
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": io.StringIO(),
            }
        )
        environ.pop("HTTP_X_SCRIPT_NAME", None)
        environ.pop("HTTP_AUTHORIZATION", None)
        env = None
        if uid:
            request.update_env(user=uid)
            user = request.env.user
            # all companies of the user, the main one first: what the user may read in the
            # web client with every company of theirs ticked
            companies = user.company_id.ids + (user.company_ids - user.company_id).ids
            context = dict(request.env.context, **user.context_get())
            env = request.env(context=dict(context, allowed_company_ids=companies))
        token = dav_tools.ENV.set(env)
        try:
            result = {}

            def start_response(status, headers, exc_info=None):
                result["status"], result["headers"] = status, headers

            answer = b"".join(dav_tools.application()(environ, start_response))
        finally:
            dav_tools.ENV.reset(token)
        status = int(result["status"].split(" ", 1)[0])
        headers = [(k, v) for k, v in result["headers"] if k.lower() != "content-length"]
        if status >= 500:
            _logger.error("DAV %s %s answered %s", method, path, result["status"])
        return request.make_response(answer, headers=headers, status=status)

    def _authenticate(self):
        """The id of the user whose API key the request carries (Basic: login and key;
        Bearer: key), or None."""
        header = request.httprequest.headers.get("Authorization", "")
        scheme, _sep, value = header.partition(" ")
        login = None
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return None
            login, sep, key = decoded.partition(":")
            if not sep:
                return None
        elif scheme.lower() == "bearer":
            key = value.strip()
        else:
            return None
        if not key or len(key) > 200 or not re.fullmatch(r"[\x21-\x7e]+", key):
            return None
        env = request.env
        uid = env["res.users.apikeys"]._check_credentials(scope="rpc", key=key)
        if not uid:
            _logger.info("DAV: wrong API key (login %r)", login)
            return None
        user = env["res.users"].sudo().browse(uid)
        if (login is not None and login.casefold() != user.login.casefold()) or user.share:
            _logger.info("DAV: API key of another or no internal user (login %r)", login)
            return None
        return uid
