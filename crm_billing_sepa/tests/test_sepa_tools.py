import datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_core.tools import iban

from ..tools import pain, target2

D = datetime.date

CREDITOR = {
    "name": "Müller & Söhne GmbH",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "creditor_id": "DE98ZZZ09999999999",
}


def debit(i, **kw):
    return {
        "end_to_end_id": f"INV-2026-{i:04d}",
        "amount": 1000 + i,
        "iban": "DE02120300000000202051",
        "bic": None,
        "name": "Jörg Čapek",
        "mandate_ref": f"MDT-{i}",
        "mandate_date": D(2025, 6, 1),
        "sequence_type": "FRST",
        "collection_date": D(2026, 3, 4),
        "description": f"Invoice {i}",
        **kw,
    }


CAMT054 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>N1</MsgId><CreDtTm>2026-03-10T10:00:00</CreDtTm></GrpHdr>
  <Ntfctn>
   <Id>N1</Id><CreDtTm>2026-03-10T10:00:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
   <Ntry>
    <Amt Ccy="EUR">10.01</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>
    <Sts>BOOK</Sts><BookgDt><Dt>2026-03-09</Dt></BookgDt>
    <NtryDtls><TxDtls>
      <Refs><EndToEndId>INV-2026-0001</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">10.01</Amt></TxAmt></AmtDtls>
      <RtrInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>Insufficient funds</AddtlInf></RtrInf>
    </TxDtls>
    <TxDtls>
      <Refs><EndToEndId>OTHER</EndToEndId></Refs>
      <Amt Ccy="EUR">3.00</Amt>
    </TxDtls></NtryDtls>
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>"""


@tagged("post_install", "-at_install")
class TestTarget2(BaseCase):
    def test_easter_and_holidays(self):
        self.assertEqual(target2.easter_sunday(2026), D(2026, 4, 5))
        self.assertEqual(target2.easter_sunday(2027), D(2027, 3, 28))
        self.assertEqual(target2.easter_sunday(2000), D(2000, 4, 23))
        self.assertEqual(
            target2.holidays(2026),
            {
                D(2026, 1, 1),
                D(2026, 4, 3),
                D(2026, 4, 6),
                D(2026, 5, 1),
                D(2026, 12, 25),
                D(2026, 12, 26),
            },
        )
        self.assertFalse(target2.is_business_day(D(2026, 4, 3)))  # Good Friday
        self.assertFalse(target2.is_business_day(D(2026, 3, 7)))  # Saturday
        self.assertTrue(target2.is_business_day(D(2026, 3, 9)))

    def test_collection_dates(self):
        # Thursday before Easter + 1 lead day: Good Friday and Easter Monday are closed
        self.assertEqual(target2.earliest_collection_date(D(2026, 4, 2), 1), D(2026, 4, 7))
        self.assertEqual(target2.earliest_collection_date(D(2026, 4, 2), 2), D(2026, 4, 8))
        # 24 December 2026 is a Thursday: 25 (Fri), 26, 27 closed -> Monday 28
        self.assertEqual(target2.earliest_collection_date(D(2026, 12, 24), 1), D(2026, 12, 28))
        # due date later than the earliest date: the due date (moved off the weekend)
        self.assertEqual(target2.collection_date(D(2026, 3, 14), D(2026, 3, 2), 1), D(2026, 3, 16))
        # due date in the past: the earliest possible date
        self.assertEqual(target2.collection_date(D(2026, 2, 1), D(2026, 3, 2), 2), D(2026, 3, 4))
        # 1 May 2026 is a Friday
        self.assertEqual(target2.collection_date(D(2026, 5, 1), D(2026, 4, 20), 1), D(2026, 5, 4))


@tagged("post_install", "-at_install")
class TestPain(BaseCase):
    def test_cents(self):
        self.assertEqual(pain.cents_to_str(5), "0.05")
        self.assertEqual(pain.cents_to_str(123456), "1234.56")
        self.assertEqual(pain.str_to_cents("1234.5"), 123450)
        self.assertEqual(pain.str_to_cents("0.07"), 7)
        self.assertEqual(pain.str_to_cents("12"), 1200)
        with self.assertRaises(ValueError):
            pain.str_to_cents("1.234")

    def test_direct_debit_written_and_read_back(self):
        payments = [
            debit(1),
            debit(2, sequence_type="RCUR", bic="BYLADEM1001"),
            debit(3, sequence_type="RCUR", collection_date=D(2026, 3, 6)),
        ]
        for version in pain.DD_VERSIONS:
            content = pain.build_direct_debit(
                CREDITOR,
                [dict(p) for p in payments],
                version=version,
                scheme="B2B",
                batch_booking=False,
                msg_id="SDD-2026-00001",
            )
            self.assertTrue(pain.validate(content, version))
            self.assertEqual(pain.detect_version(content), version)
            data = pain.read_payment_file(content)
            self.assertEqual(data["msg_id"], "SDD-2026-00001")
            self.assertEqual(data["count"], 3)
            self.assertEqual(data["total"], 1001 + 1002 + 1003)
            groups = {(g["sequence_type"], g["date"]): g for g in data["groups"]}
            self.assertEqual(
                set(groups),
                {("FRST", D(2026, 3, 4)), ("RCUR", D(2026, 3, 4)), ("RCUR", D(2026, 3, 6))},
            )
            for group in data["groups"]:
                self.assertEqual(group["scheme"], "B2B")
                self.assertFalse(group["batch_booking"])
                self.assertEqual(group["creditor_id"], "DE98ZZZ09999999999")
                self.assertEqual(group["own_iban"], "DE89370400440532013000")
                self.assertEqual(group["total"], sum(t["amount"] for t in group["transactions"]))
            tx = groups[("FRST", D(2026, 3, 4))]["transactions"][0]
            self.assertEqual(tx["end_to_end_id"], "INV-2026-0001")
            self.assertEqual(tx["amount"], 1001)
            self.assertEqual(tx["currency"], "EUR")
            self.assertEqual(tx["iban"], "DE02120300000000202051")
            self.assertEqual(tx["mandate_ref"], "MDT-1")
            self.assertEqual(tx["mandate_date"], D(2025, 6, 1))
            self.assertEqual(tx["name"], "Joerg Capek")  # transliterated to the SEPA set
            self.assertFalse(tx["amendment"])

    def test_amendments(self):
        content = pain.build_direct_debit(
            CREDITOR,
            [
                debit(1, original_iban="DE45120300001234567890"),
                debit(2, smnda=True),
                debit(3),
            ],
            msg_id="A",
        )
        txs = {
            t["end_to_end_id"]: t
            for g in pain.read_payment_file(content)["groups"]
            for t in g["transactions"]
        }
        self.assertTrue(txs["INV-2026-0001"]["amendment"])
        self.assertEqual(txs["INV-2026-0001"]["original_account"], "DE45120300001234567890")
        self.assertTrue(txs["INV-2026-0002"]["amendment"])
        self.assertEqual(txs["INV-2026-0002"]["original_account"], "SMNDA")
        self.assertFalse(txs["INV-2026-0003"]["amendment"])

    def test_credit_transfer(self):
        for version in pain.CT_VERSIONS:
            content = pain.build_credit_transfer(
                {"name": "Us", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"},
                [
                    {
                        "end_to_end_id": "BILL-1",
                        "amount": 99999,
                        "iban": "DE02100100100006820101",
                        "name": "Lieferant",
                        "description": "R 4711",
                        "execution_date": D(2026, 3, 3),
                    }
                ],
                version=version,
                msg_id="SCT-1",
            )
            data = pain.read_payment_file(content)
            self.assertEqual(data["version"], version)
            self.assertEqual(data["total"], 99999)
            self.assertEqual(data["groups"][0]["date"], D(2026, 3, 3))
            self.assertEqual(data["groups"][0]["transactions"][0]["iban"], "DE02100100100006820101")

    def test_validation_rejects_broken_files(self):
        content = pain.build_direct_debit(CREDITOR, [debit(1)], msg_id="B")
        broken = content.replace(b"<SeqTp>FRST</SeqTp>", b"<SeqTp>ONCE</SeqTp>")
        with self.assertRaises(pain.SepaFileError) as caught:
            pain.validate(broken, "pain.008.001.08")
        self.assertIn("SeqTp", " ".join(caught.exception.errors))
        with self.assertRaises(pain.SepaFileError):
            pain.validate(
                content.replace(b"<InstdAmt", b"<Amount").replace(b"</InstdAmt>", b"</Amount>")
            )
        with self.assertRaises(pain.SepaFileError):
            pain.validate(content[:-20])  # not well-formed
        # a value sepaxml accepts but the XSD does not: the file is never produced
        with self.assertRaises(pain.SepaFileError):
            pain.build_direct_debit(CREDITOR, [debit(1, mandate_ref="M" * 40)], msg_id="C")
        with self.assertRaises(pain.SepaFileError):
            pain.build_direct_debit(CREDITOR, [debit(1, amount=10.5)], msg_id="C")

    def test_camt054(self):
        returns = pain.read_camt054_returns(CAMT054)
        self.assertEqual(
            returns,
            [
                {
                    "end_to_end_id": "INV-2026-0001",
                    "amount": 1001,
                    "reason": "AM04",
                    "date": D(2026, 3, 9),
                    "info": "Insufficient funds",
                }
            ],
        )
        with self.assertRaises(pain.SepaFileError):
            pain.read_camt054_returns(b"<Document xmlns='urn:x'/>")

    def test_iban(self):
        self.assertIsNone(iban.sepa_problem("DE02120300000000202051"))
        self.assertIsNone(iban.sepa_problem("CH9300762011623852957"))
        self.assertIn("outside the SEPA", iban.sepa_problem("BR1800360305000010009795493C1"))
        self.assertIn("invalid", iban.sepa_problem("DE02120300000000202052"))
        self.assertEqual(
            iban.bank_key("DE02120300000000202051"), iban.bank_key("DE45120300001234567890")
        )
        self.assertNotEqual(
            iban.bank_key("DE02120300000000202051"), iban.bank_key("DE02100100100006820101")
        )
        self.assertEqual(iban.mask("DE02120300000000202051"), "**** **** **** **** **20 51")
