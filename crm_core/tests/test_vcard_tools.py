"""The vCard reader and writer (crm_core/tools/vcard.py) on files as other programs write
them, and our output read back by two independent parsers: vobject (Odoo's) and the strict
RFC 2426 validator of the `vcard` package."""

import datetime
import io
import warnings

import vobject
from vcard.vcard_validator import VCard as StrictVCard

from odoo.tests import BaseCase, tagged

from ..tools import vcard as vc
from . import vcard_samples as samples


def sample_card():
    return vc.Card(
        kind="individual",
        fn="Jiří Dvořák-Müller",
        given="Jiří",
        family="Dvořák-Müller",
        org="Příklad s.r.o.",
        department="Nákup; Einkauf",
        title="Vedoucí nákupu",
        emails=[("jiri@priklad.example", {"internet", "work"})],
        phones=[("+420 221 234 567", {"voice", "work"}), ("+420 777 123 456", {"cell"})],
        addresses=[
            {
                "types": {"pref", "work"},
                "street": "Václavské náměstí 1",
                "street2": "3. patro, vchod B",
                "city": "Praha",
                "region": "",
                "zip": "110 00",
                "country": "Česká republika",
            },
            {
                "types": {"parcel", "work"},
                "street": "Skladová 5",
                "street2": "",
                "city": "Brno",
                "region": "",
                "zip": "602 00",
                "country": "Česká republika",
            },
        ],
        urls=["https://priklad.example/kontakt?a=1"],
        bday=datetime.date(1975, 12, 24),
        note="Zeile 1; mit Semikolon, Komma\nZeile 2 mit Backslash \\ und Umlauten äöü "
        "und einem sehr langen Text, damit die Zeile gefaltet werden muss.",
        categories=["VIP", "Prag"],
    )


@tagged("post_install", "-at_install")
class TestVcardRead(BaseCase):
    def test_outlook_21_windows_1252_quoted_printable(self):
        cards, errors = vc.parse_vcards(samples.OUTLOOK_21)
        self.assertEqual(errors, [])
        (card,) = cards
        self.assertEqual(card.version, "2.1")
        self.assertEqual(card.fn, "Dr. Jürgen Müller")
        self.assertEqual((card.family, card.given, card.prefix), ("Müller", "Jürgen", "Dr."))
        self.assertEqual((card.org, card.department), ("Großhandel Süd GmbH", "Einkauf"))
        self.assertEqual(card.title, "Einkäufer")
        self.assertEqual(card.phones[0], ("+49 89 1234567", {"work", "voice"}))
        self.assertEqual(card.phones[1], ("0171 2345678", {"cell", "voice"}))
        (address,) = card.addresses
        self.assertEqual(address["street"], "Leopoldstraße 12")
        self.assertEqual(address["street2"], "Hinterhaus")
        self.assertEqual((address["zip"], address["city"]), ("80802", "München"))
        self.assertEqual(address["region"], "Bayern")
        self.assertEqual(card.bday, datetime.date(1970, 4, 2))
        self.assertEqual(
            card.note, "Kunde seit 1999, bevorzugt Anrufe am Vormittag. Grüße an die Familie."
        )
        self.assertEqual(
            card.emails, [("j.mueller@grosshandel-sued.example", {"pref", "internet"})]
        )
        self.assertEqual(card.urls, ["http://www.grosshandel-sued.example"])
        self.assertEqual(card.person_name, "Dr. Jürgen Müller")

    def test_folded_utf8_30(self):
        (card,), errors = vc.parse_vcards(samples.OUTLOOK_30_FOLDED)
        self.assertFalse(errors)
        self.assertEqual(card.org, "Příklad s.r.o.")
        self.assertEqual(
            card.note,
            "Tato poznámka je dlouhá a proto ji Outlook zalomí na více řádků podle "
            "RFC 2426, pokračovací řádky začínají mezerou.",
        )
        self.assertEqual(card.addresses[0]["country"], "Česká republika")

    def test_apple_company_with_groups_and_lf(self):
        (card,), _errors = vc.parse_vcards(samples.APPLE_COMPANY)
        self.assertEqual(card.kind, "org")
        self.assertEqual(card.org, "Bäckerei Körner KG")
        self.assertEqual(card.person_name, "")
        self.assertEqual(card.phones, [("030 9876543", {"pref"})])
        self.assertEqual(card.addresses[0]["city"], "Potsdam")
        self.assertEqual(card.urls, ["https://koerner.example"])

    def test_vcard_40(self):
        (card,), _errors = vc.parse_vcards(samples.VCARD_40)
        self.assertEqual(card.version, "4.0")
        self.assertEqual(card.phones, [("+49-171-5550100", {"cell", "voice", "pref"})])
        self.assertIsNone(card.bday)  # --0815 has no year
        self.assertEqual(card.addresses[0]["types"], {"home"})

    def test_bad_cards_are_reported_with_position_the_rest_is_read(self):
        cards, errors = vc.parse_vcards(samples.BROKEN_BETWEEN_GOOD)
        self.assertEqual([c.fn for c in cards], ["Erika Eins", "Dora Drei"])
        self.assertEqual([c.index for c in cards], [1, 5])
        self.assertEqual([e.index for e in errors], [2, 3, 4, 6])
        by_index = {e.index: e for e in errors}
        self.assertIn("no ':'", by_index[2].message)
        self.assertEqual(by_index[2].name, "Kaputt Karl")
        self.assertIn("line 9", by_index[2].message)
        self.assertIn("not a date", by_index[3].message)
        self.assertIn("unsupported vCard version '5.0'", by_index[4].message)
        self.assertIn("no END:VCARD", by_index[6].message)
        self.assertEqual(by_index[6].line, 25)

    def test_not_a_vcard_file(self):
        with self.assertRaises(vc.VCardFileError):
            vc.parse_vcards(b"Name;Phone\r\nMeier;123\r\n")
        with self.assertRaises(vc.VCardFileError):
            vc.parse_vcards(b"\x89PNG\r\n\x1a\n\x00\x00")

    def test_utf16_with_bom(self):
        data = samples.OUTLOOK_30_FOLDED.decode().encode("utf-16")
        (card,), _errors = vc.parse_vcards(data)
        self.assertEqual(card.fn, "Jiří Dvořák")


@tagged("post_install", "-at_install")
class TestVcardWrite(BaseCase):
    def test_lines_are_crlf_folded_at_75_octets(self):
        text = vc.write_vcards([sample_card()])
        self.assertTrue(text.endswith("END:VCARD\r\n"))
        self.assertNotIn("\n", text.replace("\r\n", ""))
        for line in text.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, line)
        self.assertIn("\r\n ", text)  # the note was folded

    def test_round_trip(self):
        card = sample_card()
        (again,), errors = vc.parse_vcards(vc.write_vcards([card]).encode())
        self.assertFalse(errors)
        again.index = again.line = 0
        again.version = card.version
        self.assertEqual(again, card)

    def test_company_card(self):
        card = vc.Card(kind="org", fn="Bäckerei Körner KG", org="Bäckerei Körner KG")
        (again,), _errors = vc.parse_vcards(vc.write_vcards([card]).encode())
        self.assertEqual(again.kind, "org")
        self.assertEqual(again.person_name, "")

    def test_vobject_reads_our_export(self):
        card = sample_card()
        parsed = vobject.readOne(io.StringIO(vc.write_vcards([card])))
        self.assertEqual(parsed.version.value, "3.0")
        self.assertEqual(parsed.fn.value, card.fn)
        self.assertEqual(parsed.n.value.family, "Dvořák-Müller")
        self.assertEqual(parsed.n.value.given, "Jiří")
        self.assertEqual(parsed.org.value, ["Příklad s.r.o.", "Nákup; Einkauf"])
        self.assertEqual(parsed.title.value, "Vedoucí nákupu")
        self.assertEqual(parsed.bday.value, "1975-12-24")
        self.assertEqual(parsed.note.value, card.note)
        adrs = parsed.contents["adr"]
        self.assertEqual(len(adrs), 2)
        self.assertEqual(adrs[0].value.street, "Václavské náměstí 1")
        self.assertEqual(adrs[0].value.extended, "3. patro, vchod B")
        self.assertEqual(adrs[0].value.code, "110 00")
        self.assertEqual(sorted(adrs[0].params["TYPE"]), ["pref", "work"])
        self.assertEqual(sorted(adrs[1].params["TYPE"]), ["parcel", "work"])
        tels = {t.value: sorted(t.params["TYPE"]) for t in parsed.contents["tel"]}
        self.assertEqual(
            tels, {"+420 221 234 567": ["voice", "work"], "+420 777 123 456": ["cell"]}
        )
        self.assertEqual(parsed.email.value, "jiri@priklad.example")
        self.assertEqual(parsed.url.value, "https://priklad.example/kontakt?a=1")

    def test_strict_rfc2426_validator_reads_our_export(self):
        """The `vcard` package validates RFC 2426 strictly. Its grammar is defined on octets
        (NON-ASCII = %x80-FF), so it gets the UTF-8 octets as Latin-1 characters."""
        company = vc.Card(kind="org", fn="Bäckerei Körner KG", org="Bäckerei Körner KG")
        company.phones.append(("030 9876543", {"voice", "work"}))
        for card in (sample_card(), company):
            octets = vc.write_vcards([card]).encode("utf-8").decode("latin-1")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings are advice (e.g. short fold)
                strict = StrictVCard(octets)
            names = [p.name for p in strict.properties]
            self.assertIn("FN", names)
            self.assertIn("N", names)
            fn = next(p for p in strict.properties if p.name == "FN")
            self.assertEqual(fn.values[0][0].encode("latin-1").decode(), card.fn)
        adr = next(
            p
            for p in StrictVCard(
                vc.write_vcards([sample_card()]).encode().decode("latin-1")
            ).properties
            if p.name == "ADR"
        )
        self.assertEqual(len(adr.values), 7)
        self.assertEqual(adr.parameters["TYPE"], {"pref", "work"})
