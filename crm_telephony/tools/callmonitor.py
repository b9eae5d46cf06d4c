"""Parsing of the Fritz!Box call monitor (port 1012) lines, without the ORM.

The box writes one line per event, fields separated by ';', terminated by a newline:

    date;RING;connection_id;caller;called (own number);line (SIP0, POTS, ...);
    date;CALL;connection_id;extension;own number;called;line;
    date;CONNECT;connection_id;extension;number;
    date;DISCONNECT;connection_id;duration_seconds;

The date is local time of the box, `dd.mm.yy HH:MM:SS`. Anything else is rejected with a
CallMonitorLineError saying why: unknown events, control characters, overlong lines or
fields, ids and durations that are not plain digits, numbers with characters no number has.
What passes is safe to store as it is.
"""

import datetime
import re
from dataclasses import dataclass

EVENTS = ("RING", "CALL", "CONNECT", "DISCONNECT")
_MIN_FIELDS = {"RING": 6, "CALL": 7, "CONNECT": 5, "DISCONNECT": 4}
MAX_LINE = 512
MAX_FIELD = 64
_DIGITS = re.compile(r"[0-9]{1,9}")
# numbers as the box writes them: digits, + * #, and SIP labels ("SIP: 4440000", "12@sip")
_NUMBER = re.compile(r"[0-9A-Za-z+*#:@._ -]*")
_LINE_NAME = re.compile(r"[0-9A-Za-z_.: -]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CallMonitorLineError(ValueError):
    """A line the call monitor parser does not understand."""


@dataclass(frozen=True)
class CallEvent:
    when: datetime.datetime  # naive, the box's local time
    event: str  # RING / CALL / CONNECT / DISCONNECT
    connection_id: str
    external_number: str = ""  # the other party (caller for RING, called for CALL)
    own_number: str = ""  # our line's number (MSN / SIP number)
    extension: str = ""  # internal device id for CALL / CONNECT
    line: str = ""  # SIP0, POTS, ISDN...
    duration: int = 0  # seconds, DISCONNECT only


def _split(text):
    """The fields of a line's text (without the empty one after the last ';')."""
    if not text:
        raise CallMonitorLineError("empty line")
    if len(text) > MAX_LINE:
        raise CallMonitorLineError(f"line of {len(text)} characters: {text[:80]!r}...")
    if _CONTROL.search(text):
        raise CallMonitorLineError(f"control characters in {text[:200]!r}")
    fields = text.split(";")
    if fields and fields[-1] == "":
        fields = fields[:-1]
    if len(fields) < 3:
        raise CallMonitorLineError(f"too few fields: {text!r}")
    if any(len(field) > MAX_FIELD for field in fields):
        raise CallMonitorLineError(f"a field of more than {MAX_FIELD} characters in {text!r}")
    return fields


def parse_line(line):
    """Parse one call-monitor line into a CallEvent (raises CallMonitorLineError)."""
    text = (line or "").strip()
    fields = _split(text)
    try:
        when = datetime.datetime.strptime(fields[0], "%d.%m.%y %H:%M:%S")
    except ValueError:
        raise CallMonitorLineError(f"bad date {fields[0]!r} in {text!r}") from None
    event = fields[1].upper()
    if event not in EVENTS:
        raise CallMonitorLineError(f"unknown event {fields[1]!r} in {text!r}")
    if len(fields) < _MIN_FIELDS[event]:
        raise CallMonitorLineError(f"{event} needs {_MIN_FIELDS[event]} fields: {text!r}")
    connection_id = fields[2]
    if not _DIGITS.fullmatch(connection_id):
        raise CallMonitorLineError(f"bad connection id {connection_id!r} in {text!r}")
    if event == "DISCONNECT":
        duration = fields[3]
        if not _DIGITS.fullmatch(duration):
            raise CallMonitorLineError(f"bad duration {duration!r} in {text!r}")
        return CallEvent(when, event, connection_id, duration=int(duration))
    if event == "RING":
        values = {"external_number": fields[3], "own_number": fields[4], "line": fields[5]}
    elif event == "CALL":
        values = {
            "extension": fields[3],
            "own_number": fields[4],
            "external_number": fields[5],
            "line": fields[6],
        }
    else:
        values = {"extension": fields[3], "external_number": fields[4]}
    for name, value in values.items():
        pattern = _LINE_NAME if name == "line" else _NUMBER
        if not pattern.fullmatch(value):
            raise CallMonitorLineError(f"bad {name.replace('_', ' ')} {value!r} in {text!r}")
    return CallEvent(when, event, connection_id, **{k: v.strip() for k, v in values.items()})
