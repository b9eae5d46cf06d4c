"""The one adapter between the suite and a Fritz!Box (TR-064 and call monitor).

Built on fritzconnection; no ORM here. Every request has a short timeout (TIMEOUT), and a
box that cannot be reached several times in a row is left alone for a while (crm_core's
circuit breaker, one per box address): calls fail at once then instead of waiting for
the timeout again. Every failure leaves as a FritzBoxError whose `kind` tells the caller
what went wrong, in terms the caller turns into words a user can act on (never the
library's or urllib3's own text, which may carry session ids):

- ``unreachable``: no connection; ``reason`` is crm_core's breaker reason (refused,
  timeout, unknown host, TLS, network)
- ``paused``: not tried: the box's breaker is open; ``pause`` is the CircuitOpen
- ``auth``: the box refused the user or password
- ``protocol``: the box answered, but not as TR-064 expects (access for applications off,
  action missing, malformed answer); ``detail`` is the UPnP error or the kind of problem
"""

import datetime
import functools
import logging
import re
import xml.etree.ElementTree as ET

from fritzconnection import FritzConnection
from fritzconnection.core.exceptions import (
    FritzActionError,
    FritzAuthorizationError,
    FritzConnectionException,
    FritzServiceError,
)
from fritzconnection.core.logger import fritzlogger
from fritzconnection.core.utils import get_xml_root
from fritzconnection.lib.fritzcall import CallCollection

from odoo.addons.crm_core.tools import breaker as outside
from odoo.addons.crm_core.tools import sanitize

# fritzconnection logs its own connection failures at ERROR; we report them on the box record
# (and the listener logs them once per outage), so the library's duplicate goes quiet.
fritzlogger.setLevel(logging.CRITICAL)
_logger = logging.getLogger(__name__)

ONTEL = "X_AVM-DE_OnTel1"
# seconds to connect and to wait for each answer; the box is in the local network and
# answers in milliseconds, the call list in about a second
TIMEOUT = 5

CALL_TYPES = {
    1: "incoming",
    2: "missed",
    3: "outgoing",
    9: "incoming",
    10: "missed",
    11: "outgoing",
}
_UPNP_ERROR = re.compile(r"errorCode:?\s*(\d+)\s*errorDescription:?\s*([^\n]*)", re.S)


class FritzBoxError(Exception):
    def __init__(self, kind, reason=None, detail="", pause=None):
        super().__init__(f"{kind}: {reason or detail or ''}".rstrip(": "))
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.pause = pause


def _failure(error):
    """The breaker reason of a connection failure behind `error`, or None. fritzconnection
    re-raises requests' connection errors as "Unable to get a connection" with the cause
    hidden ("from None"): the hidden cause is looked at for the reason."""
    reason = outside.connection_failure(error)
    if reason is None and "Unable to get a connection" in str(error):
        reason = outside.connection_failure(error.__context__) or outside.NETWORK
    return reason


def _protocol_detail(error):
    """What the box said, short and without URLs: "UPnP error 401: Invalid Action"."""
    match = _UPNP_ERROR.search(str(error))
    if match:
        return f"UPnP error {match.group(1)}: {sanitize.text(match.group(2))[:80]}"
    message = re.sub(r"\S+://\S+", "<url>", sanitize.text(str(error)))[:80]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _adapter_call(func):
    """A public method of the adapter: not run while the box's breaker is open; its
    connection failures counted; every error turned into a FritzBoxError."""

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            self.breaker.check()
        except outside.CircuitOpen as pause:
            raise FritzBoxError("paused", pause.reason, pause=pause) from None
        try:
            result = func(self, *args, **kwargs)
        except FritzBoxError:
            raise
        except FritzAuthorizationError:
            self.breaker.success()  # the box answered
            raise FritzBoxError("auth") from None
        except Exception as error:
            reason = _failure(error)
            if reason:
                self.breaker.failure(reason)
                raise FritzBoxError("unreachable", reason) from None
            if "401" in str(error) or "Unauthorized" in str(error):
                raise FritzBoxError("auth") from None
            if isinstance(error, FritzConnectionException | ET.ParseError | KeyError | ValueError):
                raise FritzBoxError("protocol", detail=_protocol_detail(error)) from None
            raise
        self.breaker.success()
        return result

    return wrapper


class FritzBox:
    """One TR-064 session with one box. Opening it reads the device description."""

    def __init__(self, host, port=49000, user=None, password=None, timeout=TIMEOUT, use_tls=False):
        self.host = host
        self.port = port
        self.user = user or None
        self.password = password or None
        self.timeout = timeout
        self.use_tls = use_tls
        self.breaker = outside.breaker_for("Fritz!Box", f"{host}:{port}")
        self._fc = None

    @property
    def fc(self):
        """The TR-064 connection (reads the box's device description on first use)."""
        if self._fc is None:
            self._fc = FritzConnection(
                address=self.host,
                port=self.port,
                user=self.user,
                password=self.password or "",
                timeout=self.timeout,
                use_tls=self.use_tls,
            )
        return self._fc

    @_adapter_call
    def test(self):
        """Log in and read the device info: {'model', 'version', 'description'}."""
        info = self.fc.call_action("DeviceInfo1", "GetInfo")
        return {
            "model": self.fc.modelname,
            "version": info.get("NewSoftwareVersion") or self.fc.system_version or "",
            "description": info.get("NewDescription") or "",
        }

    @_adapter_call
    def dial(self, number):
        """Ring the configured dial-help phone, then call `number` (X_VoIP DialNumber)."""
        self.fc.call_action("X_VoIP1", "X_AVM-DE_DialNumber", **{"NewX_AVM-DE_PhoneNumber": number})

    @_adapter_call
    def set_dial_port(self, port_name):
        """Choose the phone that rings for click-to-dial (X_AVM-DE_DialSetConfig)."""
        self.fc.call_action(
            "X_VoIP1", "X_AVM-DE_DialSetConfig", **{"NewX_AVM-DE_PhoneName": port_name}
        )

    @_adapter_call
    def call_list(self, days=None):
        """The box's call list as plain dicts (newest first, as the box sends it)."""
        url = self.fc.call_action(ONTEL, "GetCallList")["NewCallListURL"]
        if days:
            url += f"&days={int(days)}"
        # (fritzconnection's FritzCall fetches this URL without a timeout)
        calls = CallCollection(get_xml_root(url, timeout=self.timeout, session=self.fc.session))
        result = []
        for call in calls:
            kind = CALL_TYPES.get(call.type)
            if not kind:
                continue
            if kind == "outgoing":
                external, own = call.Called, call.CallerNumber or call.Caller
            else:
                external, own = call.Caller, call.CalledNumber or call.Called
            duration = call.duration
            result.append(
                {
                    "box_call_id": str(call.Id),
                    "direction": kind,
                    "external_number": (external or "").strip(),
                    "own_number": (own or "").strip(),
                    "name": call.Name or "",
                    "device": call.Device or "",
                    "start": call.date if isinstance(call.date, datetime.datetime) else None,
                    "duration": int(duration.total_seconds())
                    if isinstance(duration, datetime.timedelta)
                    else 0,
                }
            )
        return result

    # ---------------------------------------------------------------------------------------
    # Phonebook (X_AVM-DE_OnTel)
    # ---------------------------------------------------------------------------------------
    @_adapter_call
    def phonebook_ids(self):
        result = self.fc.call_action(ONTEL, "GetPhonebookList")
        value = result.get("NewPhonebookList") or ""
        return [int(x) for x in value.split(",") if x.strip()]

    @_adapter_call
    def phonebook_name(self, phonebook_id):
        result = self.fc.call_action(ONTEL, "GetPhonebook", NewPhonebookID=phonebook_id)
        return result.get("NewPhonebookName") or ""

    @_adapter_call
    def ensure_phonebook(self, name):
        """The id of the phonebook called `name`, created when missing."""
        for phonebook_id in self.phonebook_ids():
            if self.phonebook_name(phonebook_id) == name:
                return phonebook_id
        self.fc.call_action(ONTEL, "AddPhonebook", NewPhonebookName=name, NewPhonebookExtraID="")
        for phonebook_id in self.phonebook_ids():
            if self.phonebook_name(phonebook_id) == name:
                return phonebook_id
        raise FritzBoxError("protocol", f"phonebook {name!r} was not created")

    @_adapter_call
    def set_entry(self, phonebook_id, name, numbers, uniqueid=None):
        """Create (uniqueid None) or replace an entry; returns the entry's uniqueid."""
        xml = contact_xml(name, numbers, uniqueid)
        result = self.fc.call_action(
            ONTEL,
            "SetPhonebookEntryUID",
            NewPhonebookID=phonebook_id,
            NewPhonebookEntryData=xml,
        )
        return str(result["NewPhonebookEntryUniqueID"])

    def _entry_id(self, phonebook_id, uniqueid):
        """The entry id as the box gives them (a number, NewPhonebookEntryUniqueID is a ui4),
        or None for an id the box never gave (a record written by hand or an import): the box
        has no such entry, which is said once in the log."""
        text = str(uniqueid or "").strip()
        if text.isascii() and text.isdigit():
            return int(text)
        _logger.info(
            "Fritz!Box %s: phonebook %s has no entry %r (not an id the box gives, which are "
            "numbers): treated as missing on the box",
            self.host,
            phonebook_id,
            sanitize.text(str(uniqueid))[:40],
        )
        return None

    @_adapter_call
    def get_entry(self, phonebook_id, uniqueid):
        """(name, [numbers]) of an entry, or None when the box has no such entry (also for
        an id the box never gives: not a number)."""
        entry_id = self._entry_id(phonebook_id, uniqueid)
        if entry_id is None:
            return None
        try:
            result = self.fc.call_action(
                ONTEL,
                "GetPhonebookEntryUID",
                NewPhonebookID=phonebook_id,
                NewPhonebookEntryUniqueID=entry_id,
            )
        except FritzActionError:
            return None
        except FritzConnectionException as error:
            if "713" in str(error) or "714" in str(error):
                return None
            raise
        root = ET.fromstring(result["NewPhonebookEntryData"])
        name = root.findtext("person/realName") or ""
        numbers = [n.text or "" for n in root.iter("number")]
        return name, numbers

    @_adapter_call
    def delete_entry(self, phonebook_id, uniqueid):
        """Delete an entry; False when the box has no such entry (nothing to delete)."""
        entry_id = self._entry_id(phonebook_id, uniqueid)
        if entry_id is None:
            return False
        try:
            self.fc.call_action(
                ONTEL,
                "DeletePhonebookEntryUID",
                NewPhonebookID=phonebook_id,
                NewPhonebookEntryUniqueID=entry_id,
            )
        except (FritzActionError, FritzServiceError):
            return False
        return True


def contact_xml(name, numbers, uniqueid=None):
    """A phonebook entry as the box expects it in NewPhonebookEntryData (XML built by
    ElementTree, free text through crm_core's sanitize: always well-formed).

    :param numbers: [(kind, number)], kind "work", "mobile", "home", ...; numbers
        without a digit are left out
    """
    contact = ET.Element("contact")
    ET.SubElement(contact, "category").text = "0"
    person = ET.SubElement(contact, "person")
    ET.SubElement(person, "realName").text = sanitize.text(name)
    telephony = ET.SubElement(contact, "telephony")
    kept = [(kind, phonebook_number(number)) for kind, number in numbers]
    for index, (kind, number) in enumerate((k, n) for k, n in kept if n):
        element = ET.SubElement(
            telephony,
            "number",
            type=sanitize.text(kind),
            prio="1" if index == 0 else "0",
            id=str(index),
        )
        element.text = number
    if uniqueid:
        ET.SubElement(contact, "uniqueid").text = str(int(uniqueid))
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(contact, encoding="unicode")


def phonebook_number(number):
    """A number as a phonebook may carry it: digits and + * # ( ) / - and spaces only
    ("0351 / 444 55-66"); empty when no digit is left."""
    text = re.sub(r"\([^0-9)]*\)", "", sanitize.text(number))  # "(Zentrale)", not "(0)"
    kept = re.sub(r"[^0-9+*#()/\- ]", "", text)
    kept = re.sub(r" +", " ", kept).strip()
    return kept if re.search(r"[0-9]", kept) else ""
