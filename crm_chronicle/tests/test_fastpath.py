import datetime
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import api
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import new_test_user
from odoo.addons.crm_core.tools import fastpath as core_fastpath

from ..tools import fastpath
from .common import ChronicleCommon, raw_entry_rows

# the context automatic jobs log in
BATCH = {"tracking_disable": True, "mail_create_nosubscribe": True}


@tagged("post_install", "-at_install")
class TestFastPath(ChronicleCommon):
    """crm_log_batch's one fast path (tools/fastpath.py) writes the rows the ORM writes,
    and steps aside where it cannot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create({"name": "Schnellweg s.r.o."})
        cls.user.company_ids |= cls.company2
        cls.project = cls.env["project.project"].create({"name": "Schnell-Projekt"})

    def _partners(self, tag):
        """Partners of both companies and of none, companies and contact persons."""
        Partner = self.env["res.partner"]
        company = Partner.create({"name": f"{tag} Firma GmbH", "is_company": True})
        return (
            company
            | Partner.create({"name": f"{tag} Person", "parent_id": company.id})
            | Partner.create({"name": f"{tag} C2 s.r.o.", "company_id": self.company2.id})
            | Partner.create({"name": f"{tag} Ohne", "is_company": True})
            | Partner.create({"name": f"{tag} Noch eine", "is_company": True})
            | Partner.create({"name": f"{tag} Mit Wiedervorlage", "is_company": True})
        )

    def _entries(self, partners):
        """One batch as an integration or a SEPA run logs it: every kind of value."""
        bodies = [
            "Batch 2026/0001, mandate M-17 (RCUR), IBAN **** 3000",
            "<p>Ein Absatz: Müller &amp; Söhne</p>",
            "Tom & Jerry <b>fett</b> < 3",
            "<p>Lastschrift</p><script>alert(1)</script><p>zweiter</p>",
            False,
            "<p>mit Wiedervorlage</p>",
        ]
        return [
            {
                "partner": partner.id,
                "type_code": ("fast_sepa" if i % 2 else "note") if i != 4 else "letter",
                "subject": f"Lastschrift über EUR {i},00 „Müller“ ✓",
                "body": body,
                "source": f"res.partner,{self.customer.id}" if i % 3 == 0 else False,
                "date": datetime.datetime(2026, 12, 1, 8, i),
                "user": self.user2.id if i == 1 else False,
                "duration": 0.25 * i,
                "resubmission_date": "2026-12-24" if i == 5 else False,
            }
            for i, (partner, body) in enumerate(zip(partners, bodies, strict=True))
        ]

    def test_batch_rows_equal_the_orms(self):
        """The same batch by the ORM and by the fast path (lowered to one entry by the
        context key): every column of every row equal, the entry with a resubmission
        written by create within the fast batch, no message or follower on either."""
        self.env["crm.chronicle.type"].create({"name": "Fast SEPA", "code": "fast_sepa"})
        Entry = self.Entry.with_user(self.user).with_context(
            default_project_id=self.project.id, **BATCH
        )
        orm_partners, fast_partners = self._partners("ORM"), self._partners("Fast")
        orm = Entry.with_context(crm_fast_path=False).crm_log_batch(self._entries(orm_partners))
        with patch.object(fastpath, "insert", wraps=fastpath.insert) as spy:
            fast = Entry.with_context(crm_chronicle_fastpath_min=1).crm_log_batch(
                self._entries(fast_partners)
            )
        self.assertEqual(fast.partner_id, fast_partners)
        if core_fastpath.enabled(self.env):
            self.assertEqual(spy.call_count, 1)
            self.assertEqual(spy.call_args.args[2], 5)  # not the one on resubmission
        orm_rows = raw_entry_rows(self.env, orm_partners)
        fast_rows = raw_entry_rows(self.env, fast_partners)
        self.assertEqual(len(orm_rows), 6)
        for orm_row, fast_row, fast_partner in zip(orm_rows, fast_rows, fast_partners, strict=True):
            self.assertEqual(fast_row.pop("partner_id"), fast_partner.id)
            self.assertEqual(
                fast_row.pop("commercial_partner_id"), fast_partner.commercial_partner_id.id
            )
            orm_row.pop("partner_id")
            orm_row.pop("commercial_partner_id")
            self.assertEqual(orm_row, fast_row)
        self.assertEqual(
            fast[0].description, "<p>Batch 2026/0001, mandate M-17 (RCUR), IBAN **** 3000</p>"
        )
        self.assertNotIn("script", fast[3].description)
        self.assertEqual(fast[2].company_id, self.company2)
        self.assertEqual(fast[0].company_id, self.env.company)
        self.assertEqual(fast.project_id, self.project)
        self.assertEqual(fast[5].state, "open")
        self.assertEqual(fast[5].resubmission_ids.user_id, self.user)
        # nothing of mail's beside the rows
        for model in ("mail.message", "mail.followers"):
            self.assertFalse(
                self.env[model].search_count(
                    [
                        (
                            "model" if model == "mail.message" else "res_model",
                            "=",
                            self.Entry._name,
                        ),
                        ("res_id", "in", (orm | fast).ids),
                    ]
                )
            )
        # the partners' counts see the new entries at once
        self.assertEqual(fast_partners[0].with_user(self.user).crm_chronicle_count, 2)

    def test_ten_thousand_entries_in_a_few_queries(self):
        """A SEPA run's 10,000 entries: a handful of queries, whatever the number."""
        partners = self.env["res.partner"].create(
            [{"name": f"Massenkunde {i}", "is_company": True} for i in range(50)]
        )
        Entry = self.Entry.with_context(**BATCH)
        entries = [
            {
                "partner": partners[i % 50],
                "type_code": "letter",
                "subject": f"Lastschrift {i}",
                "body": f"Batch 1, mandate M-{i}, IBAN **** {i:04d}",
                "source": partners[i % 50],
            }
            for i in range(10_000)
        ]
        Entry.crm_log_batch(entries[:200])  # caches
        queries = self.cr.sql_log_count
        created = Entry.crm_log_batch(entries)
        self.env.flush_all()
        self.assertEqual(len(created), 10_000)
        if core_fastpath.enabled(self.env):
            self.assertLess(self.cr.sql_log_count - queries, 20)
        self.assertEqual(created[9999].name, "Lastschrift 9999")
        self.assertEqual(
            created[9999].description, "<p>Batch 1, mandate M-9999, IBAN **** 9999</p>"
        )

    def test_steps_aside_for_a_stored_computed_field_of_another_module(self):
        """A module adding a stored computed field to the entries (here a custom field,
        added as a module would): the ORM writes the entries, the field is computed."""
        field = self.env["ir.model.fields"].create(
            {
                "name": "x_crm_subject_length",
                "model_id": self.env["ir.model"]._get_id("crm.chronicle.entry"),
                "field_description": "Subject length",
                "ttype": "integer",
                "store": True,
                "depends": "name",
                "compute": (
                    "for entry in self:\n    entry['x_crm_subject_length'] = len(entry.name)"
                ),
            }
        )
        self.addCleanup(field.unlink)  # (before the rollback: the registry forgets it)
        Entry = self.env["crm.chronicle.entry"].with_context(crm_chronicle_fastpath_min=1, **BATCH)
        self.assertEqual(fastpath.blockers(Entry), ["field x_crm_subject_length"])
        with patch.object(fastpath, "insert", wraps=fastpath.insert) as spy:
            entries = Entry.crm_log_batch(
                [{"partner": self.customer, "type_code": "note", "subject": "Sechs!"}] * 3
            )
        self.assertFalse(spy.called)
        self.env.flush_all()
        lengths = self.env.execute_query(
            SQL(
                "SELECT x_crm_subject_length FROM crm_chronicle_entry WHERE id IN %s",
                tuple(entries.ids),
            )
        )
        self.assertEqual(lengths, [(6,)] * 3)

    def test_steps_aside_for_a_create_override(self):
        """Another module overriding the entries' creation (here: on the model's class, as
        the registry builds it): its override runs, through the ORM."""
        Entry = self.Entry.with_context(crm_chronicle_fastpath_min=1, **BATCH)
        cls = type(Entry)
        original = cls.create
        seen = []

        @api.model_create_multi
        def create(self, vals_list):
            seen.append(len(vals_list))
            return original(self, vals_list)

        with patch.object(cls, "create", create):
            self.assertTrue(any(reason.endswith(": create") for reason in fastpath.blockers(Entry)))
            Entry.crm_log_batch(
                [{"partner": self.customer, "type_code": "note", "subject": "Über create"}] * 4
            )
        self.assertEqual(seen, [4])
        self.assertFalse(fastpath.blockers(Entry))

    def test_steps_aside_with_tracking_or_switched_off(self):
        """Entries logged with tracking (an author who follows them), small batches and
        the suite's switch take the ORM."""
        self.assertFalse(fastpath.enabled(self.Entry.with_context(**BATCH).env, 99))
        tracked = self.Entry.with_context(crm_chronicle_fastpath_min=1, tracking_disable=False)
        self.assertFalse(fastpath.enabled(tracked.env, 5))
        off = self.Entry.with_context(crm_chronicle_fastpath_min=1, crm_fast_path=False, **BATCH)
        self.assertFalse(fastpath.enabled(off.env, 500))
        self.env["ir.config_parameter"].set_param("crm_core.fast_path", "0")
        self.assertFalse(fastpath.enabled(self.Entry.with_context(**BATCH).env, 500))

    def test_fast_path_checks_create_rules(self):
        """The fast path creates with the user's rights: a user without CRM rights is
        refused before anything is written."""
        plain = new_test_user(self.env, login="fast_plain", groups="base.group_user")
        Entry = self.Entry.with_user(plain).with_context(crm_chronicle_fastpath_min=1, **BATCH)
        count = self.Entry.search_count([])
        with self.assertRaises(AccessError):
            Entry._log_rows(
                [
                    {
                        "partner_id": self.customer.id,
                        "type_id": self.env.ref("crm_chronicle.crm_chronicle_type_note").id,
                        "name": "Nein",
                        "description": False,
                        "date": datetime.datetime(2026, 1, 1),
                        "user_id": plain.id,
                        "duration": 0.0,
                        "state": "done",
                        "source_model": False,
                        "source_id": False,
                        "company_id": False,
                    }
                ]
            )
        self.assertEqual(self.Entry.search_count([]), count)


# text the HTML sanitiser keeps (or wraps in a paragraph) as the fast path assumes
_TEXT = st.text(
    alphabet=st.characters(
        exclude_characters="<>&",
        exclude_categories=(),  # surrogates too
    ),
    max_size=40,
)


@tagged("post_install", "-at_install")
class TestFastPathHtml(ChronicleCommon):
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_TEXT, st.booleans())
    def test_shortcut_equals_the_fields_sanitiser(self, text, paragraph):
        """What the fast path writes for a description without markup equals what the
        field's own sanitiser writes, for any text."""
        field = self.Entry._fields["description"]
        value = f"<p>{text}</p>" if paragraph else text
        if not value:
            return  # (an empty description is no value: NULL on both paths)
        try:
            expected = field.convert_to_column_insert(value, self.Entry)
        except ValueError:  # lone surrogates: the ORM cannot write them either
            return
        self.assertEqual(fastpath.html(field, self.Entry, value, {}), expected)
