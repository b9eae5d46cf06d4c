"""Regulated and exchange formats never break (finding 3 of issue 17), property-style: random
Unicode - control characters, combining marks, emoji, right-to-left scripts, & < > " and
line breaks - in names and texts; every vCard the suite writes is read back by vobject (and
by our reader), every label sheet and CSV export is produced."""

import csv
import io

import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, TransactionCase, tagged

from odoo.addons.web.controllers.export import CSVExport

from ..tools import label_sheet, sanitize
from ..tools import vcard as vcard_tools
from . import hostile

# free text as real data brings it (hostile.py: NUL and lone surrogates too); DB_TEXT: what
# the database can store (PostgreSQL refuses NUL and lone surrogates)
WITH_SURROGATES = hostile.text(max_size=40)
DB_TEXT = hostile.text(max_size=40, storable=True)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def vobject_cards(text):
    return list(vobject.readComponents(io.StringIO(text)))


@tagged("post_install", "-at_install")
class TestFormatsPure(BaseCase):
    """The writers on their own (tools, no ORM), with values the database could not even
    hold (lone surrogates, NUL)."""

    @SETTINGS
    @given(
        name=WITH_SURROGATES,
        org=WITH_SURROGATES,
        note=WITH_SURROGATES,
        street=WITH_SURROGATES,
        phone=WITH_SURROGATES,
        category=WITH_SURROGATES,
        url=WITH_SURROGATES,
    )
    def test_vcard_always_parses_back(self, name, org, note, street, phone, category, url):
        given_, _sep, family = name.rpartition(" ")
        card = vcard_tools.Card(
            fn=name,
            given=given_,
            family=family,
            org=org,
            title=note[:10],
            note=note,
            phones=[(phone, {"work", "voice"})],
            emails=[(f"{category}@example.com", {"internet"})],
            urls=[url],
            categories=[category, org],
            addresses=[
                {
                    "types": {"work", "pref"},
                    "street": street,
                    "street2": note,
                    "city": org,
                    "region": "",
                    "zip": phone,
                    "country": category,
                }
            ],
        )
        text = vcard_tools.write_vcards([card, card])
        text.encode("utf-8")  # writable as a file
        parsed = vobject_cards(text)
        self.assertEqual(len(parsed), 2)
        self.assertEqual(parsed[0].fn.value, sanitize.text(name) or "-")
        if sanitize.text(note, multiline=True):
            self.assertEqual(parsed[0].note.value, sanitize.text(note, multiline=True))
        cards, errors = vcard_tools.parse_vcards(text.encode())
        self.assertEqual((len(cards), errors), (2, []))
        self.assertEqual(cards[0].fn, sanitize.text(name) or "-")

    @settings(max_examples=25, deadline=None, database=None)
    @given(blocks=st.lists(st.lists(WITH_SURROGATES, max_size=6), min_size=1, max_size=4))
    def test_labels_always_render(self, blocks):
        sheet = label_sheet.PRESETS["herma_5051"]
        pdf = label_sheet.render_labels(
            sheet, blocks, start=3, sender=blocks[0][:1] and blocks[0][0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))

    @SETTINGS
    @given(values=st.lists(WITH_SURROGATES, min_size=1, max_size=5))
    def test_csv_cells_read_back(self, values):
        cells = [sanitize.csv_cell(value, multiline=True) for value in values]
        buffer = io.StringIO()
        csv.writer(buffer).writerow(cells)
        buffer.getvalue().encode("utf-8")
        [row] = list(csv.reader(io.StringIO(buffer.getvalue())))
        self.assertEqual(row, cells)
        for cell in cells:
            self.assertFalse(cell[:1] in ("=", "+", "-", "@"))


@tagged("post_install", "-at_install")
class TestFormatsRecords(TransactionCase):
    """The same through the records: partners with random names, addresses, notes, contact
    persons; their vCards, labels and Odoo's CSV export of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.cz = cls.env.ref("base.cz")

    @settings(max_examples=20, deadline=None, database=None)
    @given(
        name=DB_TEXT,
        person=DB_TEXT,
        street=DB_TEXT,
        city=DB_TEXT,
        comment=DB_TEXT,
        function=DB_TEXT,
        tag=DB_TEXT,
    )
    def test_partner_formats(self, name, person, street, city, comment, function, tag):
        company = self.env["res.partner"].create(
            {
                "name": name or "x",
                "is_company": True,
                "street": street,
                "city": city,
                "country_id": self.cz.id,
                "comment": comment,
                "phone": street[:20],
                "website": city[:30] or False,
                "category_id": [(0, 0, {"name": tag or "t"})],
                "child_ids": [
                    (0, 0, {"name": person or "p", "function": function}),
                    (0, 0, {"type": "delivery", "street": comment[:50], "city": name}),
                ],
            }
        )
        partners = company | company.child_ids
        text = partners._crm_vcard_text()
        self.assertEqual(len(vobject_cards(text)), len(partners))
        pdf = (
            self.env["crm.label.wizard"]
            .create(
                {
                    "partner_ids": [(6, 0, partners.ids)],
                    "per": "contact",
                    "print_sender": True,
                    "sender_line": comment[:40] or "s",
                }
            )
            ._render()[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        fields = ["name", "street", "comment", "crm_debtor_number", "bank_ids/acc_number"]
        rows = partners.export_data(fields)["datas"]
        data = CSVExport().from_data(fields, fields, rows)
        data = data.decode() if isinstance(data, bytes) else data
        parsed = list(csv.reader(io.StringIO(data)))
        self.assertEqual(len(parsed), 1 + len(rows))
