"""The one adapter between the suite and a Fritz!Box (TR-064 and call monitor).

Built on fritzconnection; no ORM here. Every failure leaves as a FritzBoxError whose `kind`
tells the caller what went wrong in words a user can act on:

- ``unreachable``: no TCP connection (wrong host/port, box off, network down)
- ``auth``: the box refused the user or password
- ``protocol``: the box answered, but not as TR-064 expects (access for applications off,
  action missing, malformed answer)
"""

import datetime
import logging
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import requests
from fritzconnection import FritzConnection
from fritzconnection.core.exceptions import (
    FritzActionError,
    FritzAuthorizationError,
    FritzConnectionException,
    FritzServiceError,
)
from fritzconnection.core.logger import fritzlogger
from fritzconnection.lib.fritzcall import FritzCall

# fritzconnection logs its own connection failures at ERROR; we report them on the box record
# (and the listener logs them once per outage), so the library's duplicate goes quiet.
fritzlogger.setLevel(logging.CRITICAL)

ONTEL = "X_AVM-DE_OnTel1"

CALL_TYPES = {
    1: "incoming",
    2: "missed",
    3: "outgoing",
    9: "incoming",
    10: "missed",
    11: "outgoing",
}


class FritzBoxError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _translate_errors(func):
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FritzBoxError:
            raise
        except FritzAuthorizationError as error:
            raise FritzBoxError("auth", f"user or password refused: {error}") from None
        except (requests.ConnectionError, requests.Timeout, ConnectionError, TimeoutError) as e:
            raise FritzBoxError("unreachable", f"no connection: {e}") from None
        except FritzConnectionException as error:
            text = str(error)
            if "Unable to get a connection" in text:
                raise FritzBoxError("unreachable", text) from None
            if "401" in text or "Unauthorized" in text:
                raise FritzBoxError("auth", text) from None
            raise FritzBoxError("protocol", text.strip()) from None
        except (ET.ParseError, KeyError, ValueError, AttributeError) as error:
            raise FritzBoxError("protocol", f"unexpected answer: {error}") from None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


class FritzBox:
    """One TR-064 session with one box. Opening it reads the device description."""

    def __init__(self, host, port=49000, user=None, password=None, timeout=10.0, use_tls=False):
        self.host = host
        self.port = port
        self.user = user or None
        self.password = password or None
        self.timeout = timeout
        self.use_tls = use_tls
        self._fc = None

    @property
    @_translate_errors
    def fc(self):
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

    @_translate_errors
    def test(self):
        """Log in and read the device info: {'model', 'version', 'description'}."""
        info = self.fc.call_action("DeviceInfo1", "GetInfo")
        return {
            "model": self.fc.modelname,
            "version": info.get("NewSoftwareVersion") or self.fc.system_version or "",
            "description": info.get("NewDescription") or "",
        }

    @_translate_errors
    def dial(self, number):
        """Ring the configured dial-help phone, then call `number` (X_VoIP DialNumber)."""
        FritzCall(fc=self.fc).dial(number)

    @_translate_errors
    def set_dial_port(self, port_name):
        """Choose the phone that rings for click-to-dial (X_AVM-DE_DialSetConfig)."""
        self.fc.call_action(
            "X_VoIP1", "X_AVM-DE_DialSetConfig", **{"NewX_AVM-DE_PhoneName": port_name}
        )

    @_translate_errors
    def call_list(self, days=None):
        """The box's call list as plain dicts (newest first, as the box sends it)."""
        calls = FritzCall(fc=self.fc).get_calls(days=days)
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
    @_translate_errors
    def phonebook_ids(self):
        result = self.fc.call_action(ONTEL, "GetPhonebookList")
        value = result.get("NewPhonebookList") or ""
        return [int(x) for x in value.split(",") if x.strip()]

    @_translate_errors
    def phonebook_name(self, phonebook_id):
        result = self.fc.call_action(ONTEL, "GetPhonebook", NewPhonebookID=phonebook_id)
        return result.get("NewPhonebookName") or ""

    @_translate_errors
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

    @_translate_errors
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

    @_translate_errors
    def get_entry(self, phonebook_id, uniqueid):
        """(name, [numbers]) of an entry, or None when the box has no such entry."""
        try:
            result = self.fc.call_action(
                ONTEL,
                "GetPhonebookEntryUID",
                NewPhonebookID=phonebook_id,
                NewPhonebookEntryUniqueID=int(uniqueid),
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

    @_translate_errors
    def delete_entry(self, phonebook_id, uniqueid):
        try:
            self.fc.call_action(
                ONTEL,
                "DeletePhonebookEntryUID",
                NewPhonebookID=phonebook_id,
                NewPhonebookEntryUniqueID=int(uniqueid),
            )
        except (FritzActionError, FritzServiceError):
            return False
        return True


def contact_xml(name, numbers, uniqueid=None):
    """A phonebook entry as the box expects it in NewPhonebookEntryData."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><contact><category>0</category>',
        f"<person><realName>{escape(name)}</realName></person><telephony>",
    ]
    for prio, (kind, number) in enumerate(numbers):
        parts.append(
            f'<number type="{escape(kind)}" prio="{1 if prio == 0 else 0}" id="{prio}">'
            f"{escape(number)}</number>"
        )
    parts.append("</telephony>")
    if uniqueid:
        parts.append(f"<uniqueid>{int(uniqueid)}</uniqueid>")
    parts.append("</contact>")
    return "".join(parts)
