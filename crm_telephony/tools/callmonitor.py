"""Parsing of the Fritz!Box call monitor (port 1012) lines, without the ORM.

The box writes one line per event, fields separated by ';', terminated by a newline:

    date;RING;connection_id;caller;called (own number);line (SIP0, POTS, ...);
    date;CALL;connection_id;extension;own number;called;line;
    date;CONNECT;connection_id;extension;number;
    date;DISCONNECT;connection_id;duration_seconds;

The date is local time of the box, `dd.mm.yy HH:MM:SS`. Anything else is rejected with a
CallMonitorLineError saying why.
"""

import datetime
from dataclasses import dataclass

EVENTS = ("RING", "CALL", "CONNECT", "DISCONNECT")
_MIN_FIELDS = {"RING": 6, "CALL": 7, "CONNECT": 5, "DISCONNECT": 4}


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

    @property
    def key(self):
        """Identifies one call on one box for a day: the box reuses connection ids."""
        return f"{self.connection_id}"


def parse_line(line):
    """Parse one call-monitor line into a CallEvent (raises CallMonitorLineError)."""
    text = (line or "").strip().strip("\x00")
    if not text:
        raise CallMonitorLineError("empty line")
    fields = text.split(";")
    if fields and fields[-1] == "":
        fields = fields[:-1]
    if len(fields) < 3:
        raise CallMonitorLineError(f"too few fields: {text!r}")
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
    if not connection_id.isdigit():
        raise CallMonitorLineError(f"bad connection id {connection_id!r} in {text!r}")
    if event == "RING":
        return CallEvent(
            when,
            event,
            connection_id,
            external_number=fields[3],
            own_number=fields[4],
            line=fields[5],
        )
    if event == "CALL":
        return CallEvent(
            when,
            event,
            connection_id,
            extension=fields[3],
            own_number=fields[4],
            external_number=fields[5],
            line=fields[6],
        )
    if event == "CONNECT":
        return CallEvent(when, event, connection_id, extension=fields[3], external_number=fields[4])
    duration = fields[3]
    if not duration.isdigit():
        raise CallMonitorLineError(f"bad duration {duration!r} in {text!r}")
    return CallEvent(when, event, connection_id, duration=int(duration))
