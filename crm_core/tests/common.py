from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command
from odoo.sql_db import Cursor
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import new_test_user


class CrmCoreAccountCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, CRM users and a helper to post invoices."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("crm_core.group_manager")
            | cls.env.ref("project.group_project_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.crm_user = new_test_user(
            cls.env,
            login="crm_core_user",
            groups="crm_core.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.crm_manager = new_test_user(
            cls.env,
            login="crm_core_manager",
            groups="crm_core.group_manager,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create({"name": name, "is_company": True, **vals})

    @classmethod
    def _post(cls, partner, amount, move_type="out_invoice", invoice_date=None, post=True):
        return cls._create_invoice(
            move_type=move_type,
            partner_id=partner,
            invoice_date=invoice_date,
            post=post,
            invoice_line_ids=[
                Command.create(
                    {"name": "Leistung", "quantity": 1, "price_unit": amount, "tax_ids": []}
                )
            ],
        )


@contextmanager
def record_queries():
    """Collect the SQL statements sent meanwhile (their whole text: a statement is told
    apart by what it reads or writes, which may come after its first lines)."""
    queries = []
    execute = Cursor.execute

    def record(cursor, query, params=None, log_exceptions=None):
        queries.append(str(query.code if isinstance(query, SQL) else query))
        return execute(cursor, query, params, log_exceptions)

    with patch.object(Cursor, "execute", record):
        yield queries


CACHE_REFILLS = ("FROM ir_rule r", '"rule_group_rel"', 'FROM "ir_rule"', '"res_groups_users_rel"')


def data_queries(queries):
    """The statements that read or write data, without the ormcache refills of access rules
    (which depend on what ran before in the test, not on the data)."""
    return [q for q in queries if not any(token in q for token in CACHE_REFILLS)]
