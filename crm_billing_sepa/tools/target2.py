"""The TARGET2 calendar: SEPA direct debits settle on TARGET2 business days only.

TARGET2 is closed on Saturdays, Sundays, New Year's Day, Good Friday, Easter Monday,
1 May (Labour Day), Christmas Day and 26 December.
"""

import datetime

DAY = datetime.timedelta(days=1)


def easter_sunday(year):
    """Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def holidays(year):
    """The TARGET2 closing days of `year` that are not weekend days by nature."""
    easter = easter_sunday(year)
    return {
        datetime.date(year, 1, 1),
        easter - 2 * DAY,  # Good Friday
        easter + DAY,  # Easter Monday
        datetime.date(year, 5, 1),
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    }


def is_business_day(day):
    return day.weekday() < 5 and day not in holidays(day.year)


def next_business_day(day):
    """`day` itself when it is a TARGET2 business day, else the next one."""
    while not is_business_day(day):
        day += DAY
    return day


def add_business_days(day, count):
    """The TARGET2 business day `count` business days after `day`."""
    for _i in range(count):
        day = next_business_day(day + DAY)
    return day


def earliest_collection_date(today, lead_days):
    """The earliest collection date for a file submitted `today`: `lead_days` TARGET2
    business days later (the bank's cut-off is counted in whole business days)."""
    return add_business_days(today, max(int(lead_days), 1))


def collection_date(due_date, today, lead_days):
    """The collection date of a debit due on `due_date`: its due date (moved to the next
    business day) but never earlier than the earliest possible collection date."""
    earliest = earliest_collection_date(today, lead_days)
    wanted = next_business_day(due_date) if due_date else earliest
    return max(wanted, earliest)
