"""A browser's web session for the suite-level tests: one user logged in through
/web/session/authenticate, its cookie kept for what follows (the web client's JSON-RPC
calls, pages, reports, downloads), as the web client does it.

    session = WebSession(odoo)                      # the administrator (odoo["login"])
    session = WebSession(odoo, "user1", "user1")    # another user
    session.call_kw("res.partner", "search_read", [[]], {"fields": ["name"]})
    session.new_api_key("integration")              # for JSON-2
    status, body = session.request("GET", "/report/pdf/...")
    session.session_id                              # for a cookie set in Chromium
"""

import http.cookiejar
import json
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebSession:
    """A logged-in web session of one user; with ``redirects=False`` a redirect is answered
    as it is (its 3xx status), not followed."""

    def __init__(self, odoo, login=None, password=None, redirects=True):
        self.url = odoo["url"]
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if not redirects:
            handlers.append(_NoRedirect)
        self.opener = urllib.request.build_opener(*handlers)
        login = login or odoo["login"]
        self.password = odoo["password"] if password is None else password
        result = self.jsonrpc(
            "/web/session/authenticate",
            {"db": odoo["db"], "login": login, "password": self.password},
        )
        assert result.get("uid"), f"{login} cannot log in: {result}"

    @property
    def session_id(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "session_id")

    def jsonrpc(self, path, params, timeout=120):
        """The result of a JSON-RPC call as the web client makes it; an error fails the test
        with Odoo's message."""
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=timeout) as response:
            answer = json.load(response)
        assert "error" not in answer, f"{path}: {answer['error'].get('data', answer['error'])}"
        return answer["result"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def new_api_key(self, name):
        """An API key the user makes for itself, as in Preferences > Security > New API Key
        (valid for a day): Odoo asks for the password again (identity check) before it shows
        the key."""
        wizard = self.call_kw(
            "res.users.apikeys.description", "create", [{"name": name, "duration": "1"}]
        )
        check = self.call_kw("res.users.apikeys.description", "make_key", [[wizard]])
        if check.get("res_model") == "res.users.identitycheck":
            check = self.call_kw(
                "res.users.identitycheck",
                "run_check",
                [[check["res_id"]]],
                {"context": {"password": self.password}},
            )
        return check["context"]["default_key"]

    def request(self, method, path, data=None, headers=None, timeout=120):
        """(status, body) of a request in this session, error statuses included."""
        request = urllib.request.Request(
            self.url + path, data=data, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
