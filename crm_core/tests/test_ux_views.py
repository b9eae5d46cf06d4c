"""What a new user sees in the suite's views (issue 20): numbers that are identifiers, not
quantities (ports, DATEV numbers, account ranges, ids on a device) are shown as typed, not
with thousands separators ("49.000", "1.012"). Checks the views of every installed addon of
the suite, so an addon installed later is held to the same rule."""

import re

from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

# integer fields named like this hold an identifier, not an amount
IDENTIFIER_NAME = re.compile(r"(_port|_number|_from|_to|phonebook_id)$")


@tagged("post_install", "-at_install")
class TestIdentifierNumbers(TransactionCase):
    def test_identifier_integers_are_not_formatted(self):
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("form", "list", "kanban")), ("model", "!=", False)]
        )
        ours = views.filtered(lambda v: (v.xml_id or "").startswith("crm_"))
        self.assertTrue(ours)
        checked, wrong = 0, []
        for view in ours:
            if view.model not in self.env:
                continue
            fields = self.env[view.model]._fields
            for node in etree.fromstring(view.arch_db.encode()).iter("field"):
                field = fields.get(node.get("name"))
                if not field or field.type != "integer" or not IDENTIFIER_NAME.search(field.name):
                    continue
                checked += 1
                options = safe_eval(node.get("options") or "{}", {"true": True, "false": False})
                if options.get("enable_formatting", True):
                    wrong.append(f"{view.xml_id}: {field.name}")
        self.assertTrue(checked, "the rule found identifier fields to check")
        self.assertFalse(wrong, "identifiers shown with thousands separators")
