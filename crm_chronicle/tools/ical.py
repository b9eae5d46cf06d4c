"""A small, fast iCalendar (RFC 5545) writer for appointments and resubmissions.

Times are written in UTC ("...Z"), all-day items as local DATE values; the calendar names the
user's time zone in X-WR-TIMEZONE so that clients show it in the right zone. Free text
(summaries, descriptions, locations, categories, the calendar's name) passes through
crm_core's sanitize.text before it is escaped: no control characters, no invisible
formatting characters, no lone surrogates in any produced file."""

import datetime
import html
import re
import unicodedata

from odoo.addons.crm_core.tools import sanitize

CRLF = "\r\n"


def _clean_line(line):
    """Whether sanitize.text would return this line unchanged (checked at C speed: the
    feed's thousands of ordinary texts skip the regular expressions)."""
    return (
        line.isprintable()
        and "  " not in line
        and line == line.strip()
        and (line.isascii() or unicodedata.is_normalized("NFC", line))
    )


def clean(value, multiline=False):
    """`value` as sanitize.text gives it (line breaks kept when `multiline`)."""
    if not value:
        return ""
    value = str(value)
    if _clean_line(value) or (
        multiline and value == value.strip() and all(map(_clean_line, value.split("\n")))
    ):
        return value
    return sanitize.text(value, multiline=multiline)


def escape_text(value):
    """TEXT value escaping (RFC 5545 3.3.11); `value` is clean text (see ``clean``)."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold a content line at 75 octets without splitting UTF-8 sequences."""
    if line.isascii() and len(line) <= 75:
        return line  # the common case, without encoding
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts = []
    limit = 75
    while encoded:
        cut = min(limit, len(encoded))
        while cut < len(encoded) and (encoded[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
        limit = 74  # continuation lines start with a space
    return (CRLF + " ").join(parts)


def utc_stamp(value):
    """A naive UTC datetime as an iCalendar UTC DATE-TIME."""
    # isoformat is much faster than strftime for thousands of events
    return value.isoformat(timespec="seconds").replace("-", "").replace(":", "") + "Z"


def event_lines(event, stamp):
    """The VEVENT lines of one event dict: uid, summary, start (naive UTC datetime) or
    day (local date, all day), end (naive UTC datetime, optional), description, location,
    url, categories (list), status (CONFIRMED, TENTATIVE, CANCELLED). Texts may hold
    anything: they are cleaned here."""
    lines = ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp}"]
    if event.get("day"):
        day = event["day"]
        lines.append(f"DTSTART;VALUE=DATE:{day.isoformat().replace('-', '')}")
        following = day + datetime.timedelta(days=1)
        lines.append(f"DTEND;VALUE=DATE:{following.isoformat().replace('-', '')}")
    else:
        start = event["start"]
        end = event.get("end") or start + datetime.timedelta(minutes=30)
        lines.append(f"DTSTART:{utc_stamp(start)}")
        lines.append(f"DTEND:{utc_stamp(end)}")
    lines.append(f"SUMMARY:{escape_text(clean(event.get('summary')))}")
    description = clean(event.get("description"), multiline=True)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    location = clean(event.get("location"))
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.get("url"):
        lines.append(f"URL:{event['url']}")
    categories = [escape_text(text) for text in map(clean, event.get("categories") or ()) if text]
    if categories:
        lines.append("CATEGORIES:" + ",".join(categories))
    if event.get("status"):
        lines.append(f"STATUS:{event['status']}")
    if event.get("private"):
        lines.append("CLASS:PRIVATE")
    if event.get("last_modified"):
        lines.append(f"LAST-MODIFIED:{utc_stamp(event['last_modified'])}")
    lines.append("END:VEVENT")
    return lines


def todo_lines(todo, stamp):
    """The VTODO lines of one todo dict: uid, summary, due (naive UTC datetime) or due_day
    (local date, all day), description, location, url, categories (list), completed
    (naive UTC datetime of a done todo), last_modified, private (CLASS:PRIVATE)."""
    lines = ["BEGIN:VTODO", f"UID:{todo['uid']}", f"DTSTAMP:{stamp}"]
    if todo.get("due_day"):
        lines.append(f"DUE;VALUE=DATE:{todo['due_day'].isoformat().replace('-', '')}")
    elif todo.get("due"):
        lines.append(f"DUE:{utc_stamp(todo['due'])}")
    lines.append(f"SUMMARY:{escape_text(todo.get('summary'))}")
    for key in ("description", "location"):
        if todo.get(key):
            lines.append(f"{key.upper()}:{escape_text(todo[key])}")
    if todo.get("url"):
        lines.append(f"URL:{todo['url']}")
    if todo.get("categories"):
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in todo["categories"]))
    if todo.get("private"):
        lines.append("CLASS:PRIVATE")
    if todo.get("completed"):
        lines += ["STATUS:COMPLETED", f"COMPLETED:{utc_stamp(todo['completed'])}"]
    else:
        lines.append("STATUS:NEEDS-ACTION")
    if todo.get("last_modified"):
        lines.append(f"LAST-MODIFIED:{utc_stamp(todo['last_modified'])}")
    lines.append("END:VTODO")
    return lines


def calendar_object(component_lines):
    """One calendar object resource of a CalDAV collection (RFC 4791 4.1: one component,
    no METHOD) as text."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CRM Suite//crm_chronicle//EN",
        "CALSCALE:GREGORIAN",
        *component_lines,
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF


def build_calendar(events, name, tz_name, now=None):
    """The iCalendar document (bytes) holding `events`."""
    stamp = utc_stamp(now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CRM Suite//crm_chronicle//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(clean(name))}",
        f"X-WR-TIMEZONE:{tz_name or 'UTC'}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode()


_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(value):
    """Plain text of an HTML description, fast (no parser): line breaks at block ends,
    tags dropped, entities decoded."""
    if not value:
        return ""
    text = _BLOCK_END.sub("\n", str(value))
    text = html.unescape(_TAG.sub("", text))
    return _BLANK_LINES.sub("\n", text).strip()


def download_action(records):
    """The action that downloads `records` (chronicle entries or resubmissions) as an
    iCalendar file, through the route /crm_chronicle/export.ics."""
    return {
        "type": "ir.actions.act_url",
        "url": f"/crm_chronicle/export.ics?model={records._name}&ids="
        + ",".join(str(i) for i in records.ids),
        "target": "download",
    }
