"""What telephony writes into the Fritz!Box phonebook (TR-064 NewPhonebookEntryData XML)
never breaks: random Unicode (control characters, combining marks, emoji, right-to-left
text, & < > ") in names and numbers; every entry is parsed and its structure checked, in
the adapter and through the TR-064 peer (which parses what it receives, as the box does)."""

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_core.tests import hostile
from odoo.addons.crm_core.tools import sanitize

from ..tools.fritzbox import contact_xml, phonebook_number
from .common import TelephonyCase

# PostgreSQL stores no NUL (nor lone surrogates); everything else a user can type, paste or
# import (crm_core's hostile pieces), and numbers as people write them
TEXT = st.one_of(
    hostile.text(storable=True),
    st.sampled_from(["0351 / 444 55-66 (Zentrale)", "+49 (0)351 4445566"]),
)
ANY_TEXT = st.one_of(TEXT, hostile.text())
PHONE = st.from_regex(r"\+?[0-9 ()/-]{3,20}", fullmatch=True)
NUMBER = st.one_of(ANY_TEXT, PHONE)
STORED_NUMBER = st.one_of(TEXT, PHONE)  # what PostgreSQL stores (no NUL)


def check_entry(case, data, name, numbers):
    """Parse one NewPhonebookEntryData and check its structure against what was asked."""
    root = ET.fromstring(data)
    case.assertEqual(root.tag, "contact")
    case.assertEqual([child.tag for child in root][:3], ["category", "person", "telephony"])
    case.assertEqual(root.findtext("person/realName") or "", sanitize.text(name))
    expected = [phonebook_number(number) for _kind, number in numbers]
    expected = [number for number in expected if number]
    got = root.findall("telephony/number")
    case.assertEqual([n.text for n in got], expected)
    for index, element in enumerate(got):
        case.assertRegex(element.text, r"^[0-9+*#()/\- ]+$")
        case.assertRegex(element.text, "[0-9]")
        case.assertEqual(element.get("id"), str(index))
        case.assertEqual(element.get("prio"), "1" if index == 0 else "0")
    return root


@tagged("post_install", "-at_install")
class TestPhonebookXml(BaseCase):
    @settings(max_examples=300, deadline=None, database=None)
    @given(
        ANY_TEXT,
        st.lists(st.tuples(st.sampled_from(["work", "mobile", "home"]), NUMBER), max_size=3),
        st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)),
    )
    def test_any_text_gives_a_wellformed_entry(self, name, numbers, uniqueid):
        root = check_entry(self, contact_xml(name, numbers, uniqueid), name, numbers)
        self.assertEqual(root.findtext("uniqueid"), str(uniqueid) if uniqueid else None)


@tagged("post_install", "-at_install")
class TestPhonebookPush(TelephonyCase):
    def setUp(self):
        super().setUp()
        self.env["res.partner"].search([("crm_phonebook_push", "=", True)]).write(
            {"crm_phonebook_push": False}
        )

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(st.tuples(TEXT, STORED_NUMBER), min_size=1, max_size=3))
    def test_hostile_names_reach_the_box_intact(self, people):
        """Partners with random names and numbers pushed through the TR-064 peer: the box
        parses every entry (a malformed one is refused with a SOAP fault), names arrive
        sanitised, numbers without digits are left out."""
        partners = self.env["res.partner"].create(
            [
                {"name": name or "-", "phone": number, "crm_phonebook_push": True}
                for name, number in people
            ]
        )
        self.box.action_push_phonebook()
        entries = self.env["crm.telephony.phonebook.entry"].search(
            [("partner_id", "in", partners.ids)]
        )
        books = [b["entries"] for b in self.tr64.phonebooks.values() if b["name"] == "CRM Suite"]
        for entry in entries:
            partner = entry.partner_id
            check_entry(
                self, books[0][int(entry.uniqueid)], partner.name, [("work", partner.phone)]
            )
        with_digits = partners.filtered(lambda p: phonebook_number(p.phone))
        self.assertEqual(entries.partner_id, with_digits)
        partners.write({"crm_phonebook_push": False})
