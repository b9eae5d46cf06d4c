from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_chronicle.models.crm_chronicle_correspondence import SOURCE_COLUMNS

from .common import ChronicleCommon


@tagged("post_install", "-at_install")
class TestCorrespondenceHook(ChronicleCommon):
    """The hook other addons add their documents through (`_correspondence_sources`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Correspondence = cls.env["crm.chronicle.correspondence"]

    def test_every_source_selects_the_columns_and_a_known_kind(self):
        """Every contribution of the installed addons names the columns of the hook and
        only kinds of the selection (so a row never lacks its kind's id code)."""
        kinds = set(self.Correspondence._fields["kind"].get_values(self.env))
        for source in self.Correspondence._correspondence_sources():
            self.env.cr.execute(SQL("SELECT * FROM (%s) s LIMIT 0", source))
            columns = {col.name for col in self.env.cr.description}
            self.assertLessEqual(set(SOURCE_COLUMNS), columns, source.code)
            found = self.env.execute_query(SQL("SELECT DISTINCT s.kind FROM (%s) s", source))
            self.assertLessEqual({kind for (kind,) in found}, kinds, source.code)

    def test_kind_codes_are_distinct_and_do_not_depend_on_the_other_kinds(self):
        codes = self.Correspondence._correspondence_kind_codes()
        self.assertEqual(set(codes), set(self.Correspondence._fields["kind"].get_values(self.env)))
        self.assertEqual(len(set(codes.values())), len(codes))
        # the code of a kind is a function of its key alone (ids survive installing addons)
        self.assertEqual(
            {kind: codes[kind] for kind in ("entry", "invoice", "email", "attachment")},
            {"entry": 58681, "invoice": 58334, "email": 17431, "attachment": 24169},
        )
        self.assertEqual(
            self.Correspondence._correspondence_row_id("entry", 7) % (1 << 16), codes["entry"]
        )

    def test_row_ids_are_unique_and_name_their_source(self):
        entry = self.Entry.crm_log(self.contact, "letter", "Brief")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "a.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": entry.partner_id.id,
            }
        )
        rows = self.Correspondence.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(rows.ids), len(set(rows.ids)))
        [row] = rows.filtered(lambda r: r.kind == "entry")
        self.assertEqual(row.id, self.Correspondence._correspondence_row_id("entry", entry.id))
        self.assertEqual(
            (row.source_id, row.res_model, row.res_id), (entry.id, entry._name, entry.id)
        )
        [row] = rows.filtered(lambda r: r.kind == "attachment")
        self.assertEqual(
            row.id, self.Correspondence._correspondence_row_id("attachment", attachment.id)
        )
        # read by id (as a reload does): found through the source table's primary key
        self.assertEqual(
            self.Correspondence.with_user(self.user).browse(row.id).read(["name"])[0]["name"],
            "a.pdf",
        )
