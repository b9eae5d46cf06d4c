"""A TR-064 (SOAP over HTTP) peer that answers like a Fritz!Box does.

- GET /tr64desc.xml and the SCPD files (static files in ./tr64), /igddesc.xml -> 404 text/html
- POST /upnp/control/<service> with HTTP digest authentication (MD5, qop=auth); a wrong user or
  password gets 401 with an HTML body, as the box does
- DeviceInfo GetInfo, X_VoIP X_AVM-DE_DialNumber/DialSetConfig/DialHangup, X_AVM-DE_OnTel
  GetCallList (answers a URL with a session id; GET of that URL gives the call list XML,
  honouring &days= / &max=), GetPhonebookList, GetPhonebook, AddPhonebook,
  SetPhonebookEntryUID, GetPhonebookEntryUID, DeletePhonebookEntryUID; unknown ids answer a
  SOAP fault with the UPnP error code (713/714) like the box.

Everything the peer receives is kept in `self.requests` / `self.dialled` so a test can check
what was really sent over the wire. `delay` makes every answer wait that long (a slow box).
"""

import hashlib
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

HERE = Path(__file__).parent / "tr64"
REALM = "HTTPS Access"
SERVICE_TYPES = {
    "/upnp/control/deviceinfo": "urn:dslforum-org:service:DeviceInfo:1",
    "/upnp/control/x_voip": "urn:dslforum-org:service:X_VoIP:1",
    "/upnp/control/x_contact": "urn:dslforum-org:service:X_AVM-DE_OnTel:1",
}
UNAUTHORIZED_HTML = (
    "<HTML><HEAD><TITLE>401 Unauthorized (ERR_NONE)</TITLE></HEAD>"
    "<BODY><H1>401 Unauthorized</H1><BR>ERR_NONE<HR><B>Webserver</B></BODY></HTML>"
)


def _md5(text):
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - digest auth is MD5 by spec


class SoapFault(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description


class Tr64Peer:
    def __init__(self, user="crm", password="secret", calls=None, delay=0.0, port=0):
        self.delay = delay  # seconds before each answer: a slow (or, longer, a hung) box
        self.call_list_port = None  # another port for the call list URL (one that refuses)
        self.user = user
        self.password = password
        self.calls = list(calls or [])  # dicts: Id, Type, Caller, Called, ..., Date, Duration
        self.dialled = []
        self.dial_port = ""
        self.requests = []  # (service path, action, args)
        self.phonebooks = {0: {"name": "Telefonbuch", "entries": {}}}
        self.next_uid = 1
        self.sid = secrets.token_hex(8)
        self.auth_failures = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # -- digest authentication ------------------------------------------------------------
    def _check_digest(self, header, method, path):
        if not header or not header.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[7:]))
        if fields.get("username") != self.user or fields.get("realm") != REALM:
            return False
        ha1 = _md5(f"{self.user}:{REALM}:{self.password}")
        ha2 = _md5(f"{method}:{fields.get('uri', path)}")
        if fields.get("qop"):
            expected = _md5(
                f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:"
                f"{fields.get('qop')}:{ha2}"
            )
        else:
            expected = _md5(f"{ha1}:{fields.get('nonce')}:{ha2}")
        return secrets.compare_digest(expected, fields.get("response", ""))

    # -- actions --------------------------------------------------------------------------
    def _action(self, path, action, args):
        with self.lock:
            self.requests.append((path, action, dict(args)))
            if action == "GetInfo":
                return {
                    "NewManufacturerName": "AVM",
                    "NewModelName": "FRITZ!Box 7590",
                    "NewDescription": "FRITZ!Box 7590 154.07.57",
                    "NewSerialNumber": "3431C4B0B5D1",
                    "NewSoftwareVersion": "154.07.57",
                    "NewUpTime": "4711",
                }
            if action == "X_AVM-DE_DialNumber":
                number = args.get("NewX_AVM-DE_PhoneNumber", "")
                if not number:
                    raise SoapFault(402, "Invalid Args")
                self.dialled.append((self.dial_port, number))
                return {}
            if action == "X_AVM-DE_DialSetConfig":
                self.dial_port = args.get("NewX_AVM-DE_PhoneName", "")
                return {}
            if action == "X_AVM-DE_DialGetConfig":
                return {"NewX_AVM-DE_PhoneName": self.dial_port}
            if action == "X_AVM-DE_DialHangup":
                return {}
            if action == "GetCallList":
                port = self.call_list_port or self.port
                return {"NewCallListURL": f"http://127.0.0.1:{port}/calllist.lua?sid={self.sid}"}
            return self._phonebook_action(action, args)

    def _phonebook(self, args):
        try:
            return self.phonebooks[int(args.get("NewPhonebookID", "x"))]
        except (KeyError, ValueError):
            raise SoapFault(713, "Invalid array index") from None

    def _phonebook_action(self, action, args):
        if action == "GetPhonebookList":
            return {"NewPhonebookList": ",".join(str(i) for i in sorted(self.phonebooks))}
        if action == "GetPhonebook":
            book = self._phonebook(args)
            pid = int(args["NewPhonebookID"])
            return {
                "NewPhonebookName": book["name"],
                "NewPhonebookExtraID": "",
                "NewPhonebookURL": f"http://127.0.0.1:{self.port}/phonebook.lua?id={pid}",
            }
        if action == "AddPhonebook":
            new_id = max(self.phonebooks) + 1
            self.phonebooks[new_id] = {"name": args.get("NewPhonebookName", ""), "entries": {}}
            return {}
        if action == "SetPhonebookEntryUID":
            book = self._phonebook(args)
            try:
                root = ET.fromstring(args.get("NewPhonebookEntryData", ""))
            except ET.ParseError:
                raise SoapFault(402, "Invalid Args") from None
            uid = root.findtext("uniqueid")
            if uid:
                uid = int(uid)
                if uid not in book["entries"]:
                    raise SoapFault(714, "No such entry in array")
            else:
                uid = self.next_uid
                self.next_uid += 1
                ET.SubElement(root, "uniqueid").text = str(uid)
            book["entries"][uid] = ET.tostring(root, encoding="unicode")
            return {"NewPhonebookEntryUniqueID": str(uid)}
        if action == "GetPhonebookEntryUID":
            book = self._phonebook(args)
            uid = int(args.get("NewPhonebookEntryUniqueID", "0"))
            if uid not in book["entries"]:
                raise SoapFault(714, "No such entry in array")
            return {"NewPhonebookEntryData": book["entries"][uid]}
        if action == "DeletePhonebookEntryUID":
            book = self._phonebook(args)
            uid = int(args.get("NewPhonebookEntryUniqueID", "0"))
            if book["entries"].pop(uid, None) is None:
                raise SoapFault(714, "No such entry in array")
            return {}
        raise SoapFault(401, "Invalid Action")

    def call_list_xml(self, query):
        calls = list(self.calls)
        if "max" in query:
            calls = calls[: int(query["max"][0])]
        parts = ['<?xml version="1.0" encoding="utf-8"?>', "<root>", "<timestamp>1</timestamp>"]
        fields = (
            "Id",
            "Type",
            "Called",
            "Caller",
            "CallerNumber",
            "CalledNumber",
            "Name",
            "Numbertype",
            "Device",
            "Port",
            "Date",
            "Duration",
            "Count",
            "Path",
        )
        for call in calls:
            parts.append("<Call>")
            for field in fields:
                value = call.get(field)
                parts.append(
                    f"<{field}>{escape(str(value))}</{field}>"
                    if value is not None
                    else f"<{field} />"
                )
            parts.append("</Call>")
        parts.append("</root>")
        return "\n".join(parts)

    # -- HTTP -----------------------------------------------------------------------------
    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status, body, content_type="text/xml; charset=utf-8", headers=()):
                if peer.delay:
                    time.sleep(peer.delay)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers:
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                name = url.path.lstrip("/")
                if url.path == "/calllist.lua":
                    query = parse_qs(url.query)
                    if query.get("sid", [""])[0] != peer.sid:
                        return self._send(403, "<html>forbidden</html>", "text/html")
                    return self._send(200, peer.call_list_xml(query))
                if re.fullmatch(r"[A-Za-z0-9_]+\.xml", name) and (HERE / name).is_file():
                    return self._send(200, (HERE / name).read_text())
                return self._send(404, "<html><body>404 Not Found</body></html>", "text/html")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                service_type = SERVICE_TYPES.get(self.path)
                if not service_type:
                    return self._send(404, "<html><body>404 Not Found</body></html>", "text/html")
                if not peer._check_digest(self.headers.get("Authorization"), "POST", self.path):
                    if self.headers.get("Authorization"):
                        peer.auth_failures += 1
                    nonce = secrets.token_hex(8)
                    challenge = (
                        f'Digest realm="{REALM}", nonce="{nonce}", algorithm=MD5, qop="auth"'
                    )
                    return self._send(
                        401, UNAUTHORIZED_HTML, "text/html", [("WWW-Authenticate", challenge)]
                    )
                soapaction = (self.headers.get("soapaction") or "").strip('"')
                action = soapaction.rpartition("#")[2]
                try:
                    root = ET.fromstring(body)
                    call = next(iter(root.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")))
                    args = {child.tag: (child.text or "") for child in call}
                    result = peer._action(self.path, action, args)
                except SoapFault as fault:
                    return self._send(500, _fault(fault))
                except (ET.ParseError, TypeError, StopIteration):
                    return self._send(500, _fault(SoapFault(401, "Invalid Action")))
                out = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in result.items())
                envelope = (
                    '<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap'
                    '/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">\n'
                    f'<s:Body>\n<u:{action}Response xmlns:u="{service_type}">\n{out}\n'
                    f"</u:{action}Response>\n</s:Body>\n</s:Envelope>"
                )
                return self._send(200, envelope)

        return Handler


def _fault(fault):
    return (
        '<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"'
        ' s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">\n<s:Body>\n<s:Fault>\n'
        "<faultcode>s:Client</faultcode>\n<faultstring>UPnPError</faultstring>\n<detail>\n"
        '<UPnPError xmlns="urn:dslforum-org:control-1-0">\n'
        f"<errorCode>{fault.code}</errorCode>\n"
        f"<errorDescription>{escape(fault.description)}</errorDescription>\n"
        "</UPnPError>\n</detail>\n</s:Fault>\n</s:Body>\n</s:Envelope>"
    )
