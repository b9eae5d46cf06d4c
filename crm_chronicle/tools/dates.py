"""Date arithmetic for resubmissions and feeds, without the ORM."""

import calendar
import datetime

import pytz

RECURRENCE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def local_midnight_utc(day, tz_name):
    """The naive UTC datetime of 00:00 on `day` in time zone `tz_name` (UTC if unknown)."""
    try:
        tz = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    local = tz.localize(datetime.datetime.combine(day, datetime.time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def add_months(value, months):
    """`value` (date or datetime) plus `months`, clamped to the month's last day."""
    month_index = value.month - 1 + months
    year = value.year + month_index // 12
    month = month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def next_occurrence(value, recurrence):
    """The next date of a recurrence (none, weekly, monthly, quarterly, yearly) or None."""
    if recurrence == "weekly":
        return value + datetime.timedelta(weeks=1)
    if recurrence in RECURRENCE_MONTHS:
        return add_months(value, RECURRENCE_MONTHS[recurrence])
    return None


def bucket_bounds(today, tz_name):
    """UTC bounds (naive) of the due buckets seen from the local date `today`:
    (start of today, start of tomorrow, start of next week (Monday))."""
    tomorrow = today + datetime.timedelta(days=1)
    next_week = today + datetime.timedelta(days=7 - today.weekday())
    return (
        local_midnight_utc(today, tz_name),
        local_midnight_utc(tomorrow, tz_name),
        local_midnight_utc(next_week, tz_name),
    )
