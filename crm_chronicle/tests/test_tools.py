import datetime

from odoo.tests import BaseCase, tagged

from ..tools.dates import add_months, bucket_bounds, local_midnight_utc, next_occurrence


@tagged("post_install", "-at_install")
class TestDates(BaseCase):
    def test_local_midnight(self):
        day = datetime.date(2026, 1, 15)
        self.assertEqual(
            local_midnight_utc(day, "Europe/Berlin"), datetime.datetime(2026, 1, 14, 23)
        )
        self.assertEqual(local_midnight_utc(day, "UTC"), datetime.datetime(2026, 1, 15))
        self.assertEqual(local_midnight_utc(day, "No/Such_Zone"), datetime.datetime(2026, 1, 15))
        self.assertEqual(local_midnight_utc(day, False), datetime.datetime(2026, 1, 15))

    def test_add_months_clamps(self):
        self.assertEqual(add_months(datetime.date(2026, 1, 31), 1), datetime.date(2026, 2, 28))
        self.assertEqual(add_months(datetime.date(2024, 1, 31), 1), datetime.date(2024, 2, 29))
        self.assertEqual(add_months(datetime.date(2026, 11, 30), 3), datetime.date(2027, 2, 28))
        self.assertEqual(add_months(datetime.date(2026, 5, 5), 12), datetime.date(2027, 5, 5))

    def test_next_occurrence(self):
        start = datetime.datetime(2026, 1, 31, 9, 0)
        self.assertIsNone(next_occurrence(start, "none"))
        self.assertEqual(next_occurrence(start, "weekly"), datetime.datetime(2026, 2, 7, 9, 0))
        self.assertEqual(next_occurrence(start, "monthly"), datetime.datetime(2026, 2, 28, 9, 0))
        self.assertEqual(next_occurrence(start, "quarterly"), datetime.datetime(2026, 4, 30, 9))
        self.assertEqual(next_occurrence(start, "yearly"), datetime.datetime(2027, 1, 31, 9, 0))

    def test_bucket_bounds(self):
        # Wednesday 2026-03-04 in Berlin (UTC+1)
        today, tomorrow, next_week = bucket_bounds(datetime.date(2026, 3, 4), "Europe/Berlin")
        self.assertEqual(today, datetime.datetime(2026, 3, 3, 23))
        self.assertEqual(tomorrow, datetime.datetime(2026, 3, 4, 23))
        self.assertEqual(next_week, datetime.datetime(2026, 3, 8, 23))  # Monday 9th, local
        # on a Sunday, "this week" is empty: next week starts tomorrow
        _today, tomorrow, next_week = bucket_bounds(datetime.date(2026, 3, 8), "UTC")
        self.assertEqual(tomorrow, next_week)


@tagged("post_install", "-at_install")
class TestHtmlToText(BaseCase):
    def test_html_to_text(self):
        from ..tools.ical import html_to_text

        self.assertEqual(html_to_text(False), "")
        self.assertEqual(
            html_to_text("<p>Zeile &amp; 1</p><p>Zeile<br/>2 <b>fett</b></p>"),
            "Zeile & 1\nZeile\n2 fett",
        )
