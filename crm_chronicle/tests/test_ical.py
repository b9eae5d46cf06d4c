import datetime

import icalendar
import pytz

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.common import new_test_user

from ..tools.ical import build_calendar, escape_text, fold

BERLIN = pytz.timezone("Europe/Berlin")


@tagged("post_install", "-at_install")
class TestIcalTools(HttpCase):
    def test_escape_and_fold(self):
        self.assertEqual(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne")
        line = "SUMMARY:" + "ä" * 60
        folded = fold(line)
        self.assertTrue(all(len(part.encode()) <= 75 for part in folded.split("\r\n")))
        self.assertEqual(folded.replace("\r\n ", ""), line)

    def test_build_parses_with_icalendar(self):
        body = build_calendar(
            [
                {
                    "uid": "1@x",
                    "summary": "Besuch; Müller, Hans",
                    "start": datetime.datetime(2026, 1, 5, 8, 0),
                    "end": datetime.datetime(2026, 1, 5, 9, 30),
                    "description": "Zeile 1\nZeile 2 " + "x" * 200,
                },
                {"uid": "2@x", "summary": "Ganztägig", "day": datetime.date(2026, 1, 6)},
            ],
            "Test",
            "Europe/Prague",
        )
        calendar = icalendar.Calendar.from_ical(body)
        self.assertEqual(str(calendar["X-WR-TIMEZONE"]), "Europe/Prague")
        first, second = calendar.walk("VEVENT")
        self.assertEqual(str(first["SUMMARY"]), "Besuch; Müller, Hans")
        self.assertEqual(str(first["DESCRIPTION"]), "Zeile 1\nZeile 2 " + "x" * 200)
        self.assertEqual(
            first.decoded("DTSTART"), datetime.datetime(2026, 1, 5, 8, 0, tzinfo=pytz.utc)
        )
        self.assertEqual(second.decoded("DTSTART"), datetime.date(2026, 1, 6))
        self.assertEqual(second.decoded("DTEND"), datetime.date(2026, 1, 7))


@tagged("post_install", "-at_install")
class TestCalendarFeed(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="feed_user", groups="crm_core.group_user", tz="Europe/Berlin"
        )
        cls.other = new_test_user(
            cls.env, login="feed_other", groups="crm_core.group_user", tz="Europe/Prague"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Feed Kunde GmbH", "is_company": True, "city": "Dresden"}
        )
        Entry = cls.env["crm.chronicle.entry"]
        now = datetime.datetime.now().replace(microsecond=0)
        # 10:00 Berlin summer time tomorrow-ish: stored in UTC
        cls.meeting_local = BERLIN.localize(
            datetime.datetime.combine(now.date() + datetime.timedelta(days=2), datetime.time(10))
        )
        cls.meeting = Entry.with_user(cls.user).crm_log(
            cls.customer,
            "meeting",
            "Jahresgespräch",
            date=cls.meeting_local.astimezone(pytz.utc).replace(tzinfo=None),
            duration=1.5,
        )
        cls.call_day = now.date() + datetime.timedelta(days=3)
        cls.call = Entry.with_user(cls.user).crm_log(
            cls.customer, "call", "Rückruf", resubmission_date=cls.call_day
        )
        cls.timed = Entry.with_user(cls.user).crm_log(
            cls.customer,
            "letter",
            "Brief nachfassen",
            resubmission_date=now + datetime.timedelta(days=1),
        )
        cls.secret = Entry.with_user(cls.other).crm_log(
            cls.customer, "meeting", "Geheimes Treffen", date=now
        )
        cls.secret.private = True

    def _get(self, url):
        return self.url_open(url.replace(self.env.user.get_base_url(), ""), allow_redirects=False)

    def test_feed_holds_the_users_items_in_the_right_time_zone(self):
        url = self.user.with_user(self.user)._crm_feed_rotate()
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        calendar = icalendar.Calendar.from_ical(response.content)
        self.assertEqual(str(calendar["X-WR-TIMEZONE"]), "Europe/Berlin")
        events = {str(e["SUMMARY"]).split(" – ")[0]: e for e in calendar.walk("VEVENT")}
        self.assertEqual(
            set(events),
            {"Jahresgespräch", "Resubmission: Rückruf", "Resubmission: Brief nachfassen"},
        )
        meeting = events["Jahresgespräch"]
        start = meeting.decoded("DTSTART")
        self.assertEqual(start.astimezone(BERLIN).hour, 10)
        self.assertEqual(start, self.meeting_local)
        self.assertEqual(meeting.decoded("DTEND") - start, datetime.timedelta(hours=1.5))
        self.assertIn("Dresden", str(meeting["LOCATION"]))
        all_day = events["Resubmission: Rückruf"]
        self.assertEqual(all_day.decoded("DTSTART"), self.call_day)
        timed = events["Resubmission: Brief nachfassen"]
        self.assertEqual(
            timed.decoded("DTSTART"), pytz.utc.localize(self.timed.resubmission_ids.date)
        )

    def test_wrong_rotated_revoked_token_is_404_without_data(self):
        url = self.user.with_user(self.user)._crm_feed_rotate()
        prefix, token = url.rsplit("/", 1)
        for bad in (
            f"{prefix}/{'A' * 43}.ics",
            f"{prefix}/{token[:-5]}.ics",
            url.replace(f"/feed/{self.user.id}/", f"/feed/{self.other.id}/"),
            url.replace(f"/feed/{self.user.id}/", "/feed/999999/"),
        ):
            response = self._get(bad)
            self.assertEqual(response.status_code, 404, bad)
            self.assertNotIn(b"Jahresgespr", response.content)
            self.assertNotIn(b"VCALENDAR", response.content)
        self.assertEqual(self._get(url).status_code, 200)
        new_url = self.user.with_user(self.user)._crm_feed_rotate()
        self.assertNotEqual(new_url, url)
        self.assertEqual(self._get(url).status_code, 404)
        self.assertEqual(self._get(new_url).status_code, 200)
        self.user.with_user(self.user)._crm_feed_revoke()
        self.assertEqual(self._get(new_url).status_code, 404)

    def test_token_is_random_hashed_and_admin_only(self):
        url = self.user.with_user(self.user)._crm_feed_rotate()
        token = url.rsplit("/", 1)[1][: -len(".ics")]
        self.assertGreaterEqual(len(token), 43)  # 32 random bytes, base64: 256 bits
        stored = self.user.sudo().crm_feed_token_hash
        self.assertNotIn(token, stored)
        self.assertEqual(len(stored), 64)
        self.assertNotIn("crm_feed_token_hash", self.user.with_user(self.other).fields_get())
        with self.assertRaises(AccessError):
            self.user.with_user(self.other)._crm_feed_rotate()
        self.assertTrue(self.user.with_user(self.user).crm_feed_active)

    def test_export_selected_with_user_rights(self):
        self.authenticate("feed_user", "feed_user")
        ids = f"{self.meeting.id},{self.call.id}"
        response = self.url_open(f"/crm_chronicle/export.ics?model=crm.chronicle.entry&ids={ids}")
        self.assertEqual(response.status_code, 200)
        calendar = icalendar.Calendar.from_ical(response.content)
        self.assertEqual(len(calendar.walk("VEVENT")), 2)
        action = self.call.resubmission_ids.action_export_ics()
        response = self.url_open(action["url"])
        [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        self.assertTrue(str(event["SUMMARY"]).startswith("Resubmission: Rückruf"))
        with self.assertRaises(AccessError):
            self.env["crm.chronicle.ical"].with_user(self.user).export(
                "crm.chronicle.entry", self.secret.ids
            )
