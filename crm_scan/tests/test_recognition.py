from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import new_test_user

from ..tools import layout, letter, matching, recognition
from . import letters

# the company of the test (the demo data's company already has the name of letters.py's)
OUR = dict(letters.OUR_COMPANY, name="Elbtal Handel Nord GmbH")


def sender(name, street, zip_code, city, country="DE", **values):
    czech = country == "CZ"
    printed = {
        "name": name, "street": street, "zip": zip_code, "city": city, "country": country,
        "phone": "+420 602 111 222" if czech else "+49 89 1234567",
        "email": "info@example-sender.de", "website": "www.example-sender.de",
        "iban_printed": "DE89 3704 0044 0532 0130 00", "bank": "Stadtsparkasse",
        "vat": "DE136695976", "registry": "HRB 12345",
        "registry_printed": "Amtsgericht München HRB 12345", "contact": "Hans Weber",
        "tagline": "Seit 1962",
    }  # fmt: skip
    printed.update(values)
    return printed


@tagged("post_install", "-at_install")
class TestRecognitionOfRealLetters(AccountTestInvoicingCommon):
    """Each failure class of issue 25 on letters laid out as they really arrive
    (tests/letters.py: DIN 5008, letterhead, address field with our company, information
    block, footer columns), read by tesseract and recognised by the document."""

    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(su=True)  # the accounting user of the parent class has no CRM rights
        cls.env["ir.config_parameter"].sudo().set_param("crm_scan.languages", "deu+ces+eng")
        company = cls.env.company
        company.write({"name": OUR["name"], "street": OUR["street"], "zip": OUR["zip"],
                       "city": OUR["city"], "country_id": cls.env.ref("base.de").id,
                       "phone": OUR["phone"], "email": OUR["email"], "vat": OUR["vat"],
                       "company_registry": OUR["registry"]})  # fmt: skip
        cls.env["res.partner.bank"].create(
            {"partner_id": company.partner_id.id, "acc_number": OUR["iban"]}
        )
        cls.staff = new_test_user(cls.env, login="sabine", name="Sabine Krause",
                                  groups="crm_core.group_user")  # fmt: skip
        Partner = cls.env["res.partner"]
        de, cz = cls.env.ref("base.de"), cls.env.ref("base.cz")
        cls.mueller = Partner.create({"name": "Müller Bau GmbH", "is_company": True,
                                      "street": "Lindenweg 12", "zip": "80331", "city": "München",
                                      "country_id": de.id, "phone": "+49 89 1234567"})  # fmt: skip
        cls.dvorak = Partner.create({"name": "Dvořák Stavby s.r.o.", "is_company": True,
                                     "street": "Nádražní 1234/12", "zip": "110 00",
                                     "city": "Praha", "country_id": cz.id})  # fmt: skip
        cls.supplier = Partner.create({"name": "Schulz Metallbau KG", "is_company": True,
                                       "street": "Industriestraße 5", "zip": "04109",
                                       "city": "Leipzig", "country_id": de.id})  # fmt: skip
        # a private customer who shares the name of our staff, a customer who carries our
        # phone number (a typing mistake): neither is ever evidence
        cls.namesake = Partner.create({"name": "Sabine Krause", "street": "Am Markt 1",
                                       "zip": "01067", "city": "Dresden",
                                       "country_id": de.id})  # fmt: skip
        cls.polluted = Partner.create({"name": "Wagner Druck GmbH", "is_company": True,
                                       "phone": OUR["phone"], "zip": "01099", "city": "Dresden",
                                       "country_id": de.id})  # fmt: skip
        Number = cls.env["crm.partner.number"]
        Number.create([
            {"partner_id": cls.mueller.id, "kind": "debtor", "name": "10042"},
            {"partner_id": cls.dvorak.id, "kind": "debtor", "name": "10019"},
            {"partner_id": cls.supplier.id, "kind": "creditor", "name": "70001"},
        ])  # fmt: skip
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.mueller, amounts=[100.0],
                                       post=True)  # fmt: skip

    def pages(self, *args, **kwargs):
        return letters.letter_pages(*args, our=OUR, **kwargs)

    def scan_and_read(self, pages, seed=1):
        """Scan the pages (300 dpi, a PDF) and read the file as the cron does."""
        data, _label = letters.scan(pages, letters.sample_rng(seed), dpi=300)
        doc = self.env["crm.scan.document"]._create_from_files([("brief.pdf", data)], "upload")
        doc.action_process_now()
        return doc

    def evidence_for(self, doc, partner):
        suggestion = doc.suggestion_ids.filtered(lambda s: s.partner_id == partner)
        return {e["kind"] for e in suggestion.evidence or []}

    def assertFiled(self, doc, partner):
        self.assertEqual(doc.state, "done", (doc.failure_reason, doc.suggestion_ids.mapped(
            "evidence_summary"), doc.ocr_text))  # fmt: skip
        self.assertEqual(doc.partner_id, partner)

    def assertNotFiled(self, doc, *partners):
        self.assertNotEqual(doc.state, "done", doc.suggestion_ids.mapped("evidence_summary"))
        for partner in partners:
            self.assertNotEqual(doc.partner_id if doc.state == "done" else False, partner)

    def rng(self, seed=3):
        return letters.sample_rng(seed)

    # ------------------------------------------------------------------ class 1
    def test_supplier_quoting_our_number_with_it(self):
        """A supplier's invoice says "Ihre Kundennummer: 10019" - its number for us - and
        10019 is our debtor number of Dvořák: filed to the supplier, Dvořák gets nothing."""
        pages = self.pages(
            "invoice", sender("Schulz Metallbau KG", "Industriestraße 5", "04109", "Leipzig"),
            "de", self.rng(), identifiers=("number_yours",), reference="10019",
            document_number="RE-2026-0815",
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertFiled(doc, self.supplier)
        self.assertFalse(self.evidence_for(doc, self.dvorak))
        numbers = dict((v, r) for v, r in doc.recognized["numbers_labelled"])
        self.assertEqual(numbers.get("10019"), "yours")

    def test_stranger_invoice_numbered_like_ours(self):
        """An unknown company's invoice carries the number of one of our invoices: it is
        the stranger's own number, not evidence for our invoice's customer."""
        pages = self.pages(
            "invoice", sender("Fremdfirma Handels GmbH", "Ring 3", "10115", "Berlin"), "de",
            self.rng(), document_number=self.invoice.name,
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertNotFiled(doc, self.mueller)
        self.assertFalse(self.evidence_for(doc, self.mueller))
        self.assertFalse(doc.move_id)

    def test_our_own_invoice_comes_back(self):
        """Our own invoice returned signed: our letterhead and footer (our IBAN, phone, VAT,
        which Wagner Druck carries by mistake), the customer in the address field: filed
        to the invoice's customer, our identifiers are nobody's evidence."""
        customer = {"name": self.mueller.name, "street": self.mueller.street,
                    "zip": self.mueller.zip, "city": self.mueller.city}  # fmt: skip
        pages = self.pages(
            "own_document", None, "de", self.rng(), counterparty=customer,
            identifiers=("number_yours",), reference="10042", document_number=self.invoice.name,
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertEqual(doc.recognized["direction"], "outgoing")
        self.assertFiled(doc, self.mueller)
        self.assertEqual(doc.move_id, self.invoice)
        self.assertIn("own_document", self.evidence_for(doc, self.mueller))
        self.assertFalse(self.evidence_for(doc, self.polluted))
        ours = {value for _kind, value in doc.recognized["ours"]}
        self.assertIn(OUR["iban"], ours)

    # ------------------------------------------------------------------ class 2
    def test_czech_postcode_with_space(self):
        """ "110 00" as printed and as stored: the address counts in full."""
        norm = matching.normalize_address_text("Nádražní 1234/12, 110 00 Praha 1")
        self.assertEqual(matching.address_similarity(norm, "Nádražní 1234/12", "110 00",
                                                     "Praha", "CZ"), 1.0)  # fmt: skip
        self.assertEqual(matching.address_similarity(norm, "Nádražní 1234/12", "11000",
                                                     "Praha", "CZ"), 1.0)  # fmt: skip
        self.assertEqual(matching.postcodes("01099 dresden", "DE"), {"01099"})
        self.assertEqual(matching.postcodes("a-1010 wien", "AT"), {"1010"})
        pages = self.pages(
            "letter", sender("Dvořák Stavby s.r.o.", "Nádražní 1234/12", "110 00", "Praha", "CZ"),
            "cs", self.rng(),
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertFiled(doc, self.dvorak)
        self.assertIn("address", self.evidence_for(doc, self.dvorak))

    # ------------------------------------------------------------------ class 3
    def test_name_only_within_lines(self):
        """The name stands only within lines: a logo for a letterhead, the return line
        ("Müller Bau GmbH · Lindenweg 12 · 80331 München"), a footer set in centred lines
        with the address, phone and bank, no company under the signature: found within
        lines. (A letter-spaced letterhead, "M Ü L L E R", tesseract reads as words
        itself; layout.py joins single letters should it not.)"""
        pages = self.pages(
            "letter", sender("Müller Bau GmbH", "Lindenweg 12", "80331", "München"), "de",
            self.rng(), head_style="logo", foot_style="lines", signed_with_name=False,
            identifiers=("iban",),
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertFiled(doc, self.mueller)
        names = [
            e["value"]
            for e in doc.suggestion_ids.filtered(lambda s: s.partner_id == self.mueller).evidence
            if e["kind"] == "name"
        ]  # fmt: skip
        self.assertEqual(len(names), 1)
        # no line of the page is the name alone
        cells = layout.classify(doc.layout)
        self.assertTrue(any(names[0] in c.text and c.text != names[0] for c in cells))
        self.assertFalse(any(c.text.strip() == names[0] for c in cells))

    # ------------------------------------------------------------------ class 4
    def test_our_staff_is_no_candidate(self):
        """ "z. Hd. Frau Sabine Krause" in the address field and "Ihr Zeichen: Sabine
        Krause" in the writer's information block: our employee, never the private customer
        of the same name."""
        own = self.env["crm.scan.document"]._own_identity()
        self.assertIn("Sabine Krause", own["staff"])
        pages = self.pages(
            "letter", sender("Müller Bau GmbH", "Lindenweg 12", "80331", "München"), "de",
            letters.sample_rng(4), attention="Sabine Krause", your_reference="Sabine Krause",
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        cells = layout.classify(doc.layout)
        self.assertTrue(any(c.zone == layout.HEAD and "Krause" in c.text for c in cells))
        self.assertFiled(doc, self.mueller)
        self.assertFalse(self.evidence_for(doc, self.namesake))
        self.assertNotIn(self.namesake, doc.suggestion_ids.partner_id)

    # ------------------------------------------------------------------ class 5
    def test_look_alike_with_the_same_address(self):
        """ "Müller Bau KG" at Müller Bau GmbH's street and postcode: another company - the
        different name outweighs the shared address."""
        pages = self.pages(
            "letter", sender("Müller Bau KG", "Lindenweg 12", "80331", "München"), "de",
            self.rng(),
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertNotFiled(doc, self.mueller)
        self.assertLess(doc.score, 0.8)
        # suggested at most with the conflict explained, in the evidence and the reason
        if doc.partner_id == self.mueller:
            self.assertIn("conflict", self.evidence_for(doc, self.mueller))
            self.assertEqual(doc.reason_code, "other_writer")

    # ------------------------------------------------------------------ class 6
    def test_identifying_data_only_on_page_two(self):
        """A two-page letter with a logo for a letterhead and no return line: the name, the
        address and the footer are on page 2 only."""
        pages = self.pages(
            "multipage", sender("Müller Bau GmbH", "Lindenweg 12", "80331", "München"), "de",
            self.rng(), head_style="logo", with_return_line=False,
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        self.assertEqual(doc.page_count, 2)
        self.assertFiled(doc, self.mueller)
        self.assertIn(2, {page["page"] for page in doc.layout})

    # ------------------------------------------------------------------ class 7
    def test_bare_phone_number_counts_only_where_the_writer_stands(self):
        """A number without "Tel." in the letterhead or footer is the writer's; in the text
        it may be anything (an order number, somebody else's)."""
        # on a letter: the number printed bare beside the web address in a right-aligned
        # letterhead is the writer's phone
        pages = self.pages(
            "letter",
            sender("Müller Bau GmbH", "Lindenweg 12", "80331", "München",
                   head_contact="089 1234567 · www.example-sender.de"),
            "de", self.rng(), head_style="right",
        )  # fmt: skip
        doc = self.scan_and_read(pages)
        phones = [
            e for e in doc.suggestion_ids.filtered(lambda s: s.partner_id == self.mueller).evidence
            if e["kind"] == "phone"
        ]  # fmt: skip
        self.assertEqual([(e["value"], e.get("zone")) for e in phones], [("+49891234567", "party")])
        self.assertFiled(doc, self.mueller)
        # without layout: the same number in a sender's block, and in a text
        head = "Müller Bau GmbH\nLindenweg 12 · 80331 München · 089 1234567"
        own = {key: set() for key in ("ibans", "vats", "registrations", "phones", "emails",
                                      "domains")}  # fmt: skip
        own.update(names=[OUR["name"]], staff=[], addresses=[])
        self.assertIn("+49891234567", recognition.find_phones(head, bare=True))
        self.assertEqual(recognition.find_phones("Auftrag 089 1234567 vom 3.5."), [])
        analysis = letter.analyse(head, [], own)
        self.assertIn("+49891234567", analysis["party"]["found"]["phones"])
