import datetime
import re

import icalendar
import pytz
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.base.tests.common import new_test_user
from odoo.addons.crm_core.tests import hostile
from odoo.addons.crm_core.tools import sanitize

from ..tools import ical
from ..tools.ical import build_calendar, escape_text, fold, html_to_text

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
            self.env["crm.chronicle.ical"].with_user(self.user)._export(
                "crm.chronicle.entry", self.secret.ids
            )


# Free text as customers and users type or paste it (crm_core's hostile pieces: iCalendar's
# separators, noncharacters and lone surrogates too); STORABLE: what PostgreSQL and the ORM store
TEXT = hostile.text(max_size=60)
STORABLE = hostile.text(max_size=60, storable=True)
PROPERTY = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _parsed(body):
    """The events of an .ics, parsed by icalendar and by vobject (both must accept it)."""
    calendar = icalendar.Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode())
    return calendar, list(calendar.walk("VEVENT")), vcal


@tagged("post_install", "-at_install")
class TestIcalProperties(TransactionCase):
    """Every .ics parses and carries the texts back, whatever they hold."""

    @settings(PROPERTY, max_examples=400)
    @given(TEXT, st.booleans())
    def test_clean_is_sanitize_text(self, value, multiline):
        self.assertEqual(ical.clean(value, multiline), sanitize.text(value, multiline=multiline))

    @settings(PROPERTY, max_examples=300)
    @given(TEXT, TEXT, TEXT, TEXT, TEXT)
    def test_any_text_parses_and_round_trips(self, summary, description, location, category, name):
        body = build_calendar(
            [
                {
                    "uid": "1@x",
                    "summary": summary,
                    "start": datetime.datetime(2026, 1, 5, 8, 0),
                    "description": description,
                    "location": location,
                    "categories": [category],
                },
                {"uid": "2@x", "summary": description, "day": datetime.date(2026, 1, 6)},
            ],
            name,
            "Europe/Berlin",
        )
        body.decode("utf-8")  # valid UTF-8
        self.assertFalse(re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body))
        calendar, (first, second), vcal = _parsed(body)
        texts = {
            "summary": ical.clean(summary),
            "description": ical.clean(description, multiline=True),
            "location": ical.clean(location),
            "category": ical.clean(category),
            "name": ical.clean(name),
        }
        # vobject reads every text back exactly
        vfirst, vsecond = vcal.vevent_list
        self.assertEqual(vfirst.summary.value, texts["summary"])
        self.assertEqual(vsecond.summary.value, ical.clean(description))
        for key in ("description", "location"):
            if texts[key]:
                self.assertEqual(getattr(vfirst, key).value, texts[key])
            else:
                self.assertNotIn(key, vfirst.contents)
        if texts["category"]:
            self.assertEqual(vfirst.categories.value, [texts["category"]])
        self.assertEqual(vcal.x_wr_calname.value, texts["name"])
        # icalendar 5 too, except where it mis-reads a backslash before an escaped
        # character (it undoes "\\," as ","; RFC 5545 and vobject read "\\,")
        if not any("\\" in text for text in texts.values()):
            self.assertEqual(str(first["SUMMARY"]), texts["summary"])
            self.assertEqual(str(second["SUMMARY"]), ical.clean(description))
            self.assertEqual(str(first.get("DESCRIPTION", "")), texts["description"])
            self.assertEqual(str(first.get("LOCATION", "")), texts["location"])
            self.assertEqual(str(calendar["X-WR-CALNAME"]), texts["name"])
            if texts["category"] and "," not in texts["category"]:
                # (it splits categories at escaped commas too)
                self.assertEqual(first["CATEGORIES"].cats, [texts["category"]])


@tagged("post_install", "-at_install")
class TestIcalExportProperties(TransactionCase):
    """The same through the ORM: random subjects, descriptions and partner names of
    appointments and resubmissions, exported and parsed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="ics_prop", groups="crm_core.group_user", tz="Europe/Berlin"
        )

    @settings(PROPERTY, max_examples=40)
    @given(STORABLE, STORABLE, STORABLE, STORABLE)
    def test_exported_texts_parse_and_round_trip(self, subject, description, partner_name, note):
        partner = self.env["res.partner"].create({"name": partner_name.strip() or "x"})
        entry = self.env["crm.chronicle.entry"].create(
            {
                "name": subject.strip() or "x",
                "partner_id": partner.id,
                "type_id": self.env.ref("crm_chronicle.crm_chronicle_type_meeting").id,
                "description": description,
                "date": datetime.datetime(2026, 3, 1, 9, 0),
                "user_id": self.user.id,
                "resubmission_date": datetime.datetime(2026, 3, 8, 9, 0),
                "resubmission_note": note,
            }
        )
        Ical = self.env["crm.chronicle.ical"].with_user(self.user)
        for model, record, summary, text in (
            (
                "crm.chronicle.entry",
                entry,
                f"{entry.name} – {partner.complete_name}",
                html_to_text(entry.description),
            ),
            (
                "crm.chronicle.resubmission",
                entry.resubmission_ids,
                f"Resubmission: {entry.name} – {partner.complete_name}",
                entry.resubmission_ids.note or "",
            ),
        ):
            self.env.flush_all()
            body = Ical._export(model, record.ids)
            _calendar, [_event], vcal = _parsed(body)
            self.assertEqual(vcal.vevent.summary.value, ical.clean(summary))
            description = ical.clean(text, multiline=True)
            if description:
                self.assertEqual(vcal.vevent.description.value, description)
            else:
                self.assertNotIn("description", vcal.vevent.contents)


@tagged("post_install", "-at_install")
class TestIcalRoutes(HttpCase):
    """The export and feed routes answer wrong parameters with a clear 4xx."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="ics_route", groups="crm_core.group_user")
        cls.other = new_test_user(cls.env, login="ics_other", groups="crm_core.group_user")
        customer = cls.env["res.partner"].create({"name": "Route Kunde"})
        Entry = cls.env["crm.chronicle.entry"]
        cls.mine = Entry.with_user(cls.user).crm_log(customer, "meeting", "Mein Termin")
        cls.secret = Entry.with_user(cls.other).crm_log(customer, "meeting", "Fremder Termin")
        cls.secret.private = True

    def test_export_parameters(self):
        self.authenticate("ics_route", "ics_route")
        ok = f"/crm_chronicle/export.ics?model=crm.chronicle.entry&ids={self.mine.id}"
        self.assertEqual(self.url_open(ok).status_code, 200)
        for url, status in (
            ("/crm_chronicle/export.ics", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry", 400),
            (f"/crm_chronicle/export.ics?ids={self.mine.id}", 400),
            (f"/crm_chronicle/export.ics?model=res.partner&ids={self.mine.id}", 400),
            (f"/crm_chronicle/export.ics?model=crm.chronicle.ical&ids={self.mine.id}", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=abc", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=1,,2", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=-1", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=99999999999", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=" + "1," * 10001 + "1", 400),
            ("/crm_chronicle/export.ics?model=crm.chronicle.entry&ids=%00", 400),
            (f"/crm_chronicle/export.ics?model=crm.chronicle.entry&ids={self.secret.id}", 403),
            (
                f"/crm_chronicle/export.ics?model=crm.chronicle.entry"
                f"&ids={self.mine.id},{self.secret.id}",
                403,
            ),
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, status, url)
            self.assertNotIn(b"Traceback", response.content)
            self.assertNotIn(b"Fremder Termin", response.content)

    def test_feed_parameters(self):
        for url in (
            "/crm_chronicle/feed/99999999999999999999/abc.ics",
            f"/crm_chronicle/feed/{self.user.id}/.ics",
            f"/crm_chronicle/feed/{self.user.id}/{'x' * 5000}.ics",
            "/crm_chronicle/feed/0/abc.ics",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(b"Traceback", response.content)
